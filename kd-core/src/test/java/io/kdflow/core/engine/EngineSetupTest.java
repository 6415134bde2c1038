package io.kdflow.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.model.nn.DenormalFlush;
import io.kdflow.core.model.nn.LinearPrecision;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The one libtorch set-up: the thread count it sets is the one libtorch reports, and the rule for defaults. */
class EngineSetupTest {

    private final String savedIntraOp = System.getProperty(EngineSetup.INTRA_OP_PROPERTY);
    private final String savedInterOp = System.getProperty(EngineSetup.INTER_OP_PROPERTY);
    private int savedThreads;

    @BeforeEach
    void startTheEngine() {
        Engine.getEngine("PyTorch");
        savedThreads = JniUtils.getNumThreads();
    }

    /** Later tests in this JVM (training ones) keep the thread count they would have had. */
    @AfterEach
    void restoreTheEngine() {
        JniUtils.setNumThreads(savedThreads);
        restore(EngineSetup.INTRA_OP_PROPERTY, savedIntraOp);
        restore(EngineSetup.INTER_OP_PROPERTY, savedInterOp);
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    @Test
    void shouldSetTheIntraOpThreadsLibtorchReports() {
        int two = EngineSetup.shared(2).apply();
        assertThat(two).isEqualTo(2);
        assertThat(JniUtils.getNumThreads()).isEqualTo(2);

        int one = EngineSetup.shared(1).apply();
        assertThat(one).isEqualTo(1);
        assertThat(JniUtils.getNumThreads()).isEqualTo(1);
        assertThat(System.getProperty(EngineSetup.INTRA_OP_PROPERTY)).isEqualTo("1");
        assertThat(System.getProperty(EngineSetup.INTER_OP_PROPERTY)).isEqualTo("1");
        if (linuxX86()) {
            assertThat(DenormalFlush.isEnabled()).as("flush-to-zero on the calling thread").isTrue();
        }
    }

    @Test
    void shouldOnlySetTheFlagsWhenConfiguringForALaterStart() {
        int threads = new EngineSetup(3, 1, false).configure();

        assertThat(threads).isEqualTo(3);
        assertThat(System.getProperty(EngineSetup.INTRA_OP_PROPERTY)).isEqualTo("3");
        assertThat(System.getProperty(EngineSetup.INTER_OP_PROPERTY)).isEqualTo("1");
    }

    @Test
    void shouldTakeTheRequestThenTheJvmFlagThenEveryProcessor() {
        System.setProperty(EngineSetup.INTRA_OP_PROPERTY, "3");
        assertThat(EngineSetup.shared(2).resolvedIntraOpThreads()).isEqualTo(2);
        assertThat(EngineSetup.shared(null).resolvedIntraOpThreads()).isEqualTo(3);
        System.clearProperty(EngineSetup.INTRA_OP_PROPERTY);
        assertThat(EngineSetup.shared(null).resolvedIntraOpThreads())
                .isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void shouldRejectCountsBelowOneAndAMalformedFlag() {
        assertThatThrownBy(() -> EngineSetup.shared(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("intra-op threads must be >= 1, got 0");
        assertThatThrownBy(() -> new EngineSetup(1, 0, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("inter-op threads must be >= 1, got 0");
        System.setProperty(EngineSetup.INTRA_OP_PROPERTY, "many");
        assertThatThrownBy(() -> EngineSetup.shared(null).resolvedIntraOpThreads())
                .isInstanceOf(BadInputException.class)
                .hasMessage("-Dai.djl.pytorch.num_threads=many: expected a thread count >= 1");
    }

    @Test
    void shouldRefuseAnUnknownLinearPrecisionAtSetUpBeforeAnyModelRuns() {
        System.setProperty(LinearPrecision.PROPERTY, "half");
        try {
            assertThatThrownBy(() -> EngineSetup.shared(2).configure()).isInstanceOf(BadInputException.class)
                    .hasMessageStartingWith("kdflow.linear-precision (or KDFLOW_LINEAR_PRECISION) is 'half'");
        } finally {
            System.clearProperty(LinearPrecision.PROPERTY);
        }
        assertThat(EngineSetup.shared(2).configure()).isEqualTo(2);
    }

    private static boolean linuxX86() {
        return System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")
                && System.getProperty("os.arch").equals("amd64");
    }
}
