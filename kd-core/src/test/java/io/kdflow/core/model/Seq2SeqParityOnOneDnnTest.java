package io.kdflow.core.model;

import io.kdflow.core.testing.EveryLinearOnOneDnn;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link Seq2SeqParityTest} with every linear layer on oneDNN. */
@ExtendWith(EveryLinearOnOneDnn.class)
class Seq2SeqParityOnOneDnnTest extends Seq2SeqParityTest {}
