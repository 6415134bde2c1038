package io.kdflow.core.model;

import io.kdflow.core.testing.EveryLinearOnOneDnn;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link Gpt2ParityTest} with every linear layer on oneDNN. */
@ExtendWith(EveryLinearOnOneDnn.class)
class Gpt2ParityOnOneDnnTest extends Gpt2ParityTest {}
