package io.kdflow.core.decoding;

import io.kdflow.core.testing.EveryLinearOnOneDnn;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link HfGenerateParityTest} with every linear layer on oneDNN. */
@ExtendWith(EveryLinearOnOneDnn.class)
class HfGenerateParityOnOneDnnTest extends HfGenerateParityTest {}
