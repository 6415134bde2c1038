package io.kdflow.kafka.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class BrokerOptionsTest {

    @Test
    void shouldUseFreePortsTemporaryDataAndParentWatchWhenNoArgumentsAreGiven() {
        assertThat(BrokerOptions.parse()).isEqualTo(BrokerOptions.defaults());
        assertThat(BrokerOptions.defaults())
                .isEqualTo(new BrokerOptions(0, 0, Optional.empty(), 4, false, false, true, Optional.empty()));
    }

    @Test
    void shouldRefuseASaslUserThatIsNotUserColonPasswordOrNeedsQuoting() {
        assertThatThrownBy(() -> BrokerOptions.parse("--sasl-plain", "kdflow"))
                .hasMessage("--sasl-plain needs USER:PASSWORD, got 'kdflow'");
        assertThatThrownBy(() -> BrokerOptions.parse("--sasl-plain", "kdflow:se\"cret"))
                .hasMessage("--sasl-plain: user and password must be 1 to 64 of A-Z a-z 0-9 . _ -");
        assertThat(new SaslPlainUser("kdflow", "s3cret").toString()).doesNotContain("s3cret");
    }

    @Test
    void shouldReadEveryOptionWhenAllAreGiven() {
        BrokerOptions options = BrokerOptions.parse("--port", "19092", "--controller-port", "19093",
                "--data-dir", "kafka-data", "--partitions", "8", "--keep-data", "--exit-on-stdin-eof",
                "--no-parent-watch", "--sasl-plain", "kdflow:s3cret");

        assertThat(options).isEqualTo(
                new BrokerOptions(19092, 19093, Optional.of(Path.of("kafka-data")), 8, true, true, false,
                        Optional.of(new SaslPlainUser("kdflow", "s3cret"))));
    }

    @Test
    void shouldNameTheOptionWhenAnArgumentIsWrong() {
        assertThatThrownBy(() -> BrokerOptions.parse("--verbose"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("unknown option '--verbose'");
        assertThatThrownBy(() -> BrokerOptions.parse("--port"))
                .hasMessage("--port needs a value");
        assertThatThrownBy(() -> BrokerOptions.parse("--partitions", "many"))
                .hasMessage("--partitions needs an integer, got 'many'");
        assertThatThrownBy(() -> BrokerOptions.parse("--partitions", "0"))
                .hasMessage("--partitions must be at least 1, got 0");
        assertThatThrownBy(() -> BrokerOptions.parse("--controller-port", "70000"))
                .hasMessage("--controller-port must be in 0..65535, got 70000");
        assertThatThrownBy(() -> BrokerOptions.parse("--port", "9092", "--controller-port", "9092"))
                .hasMessage("--port and --controller-port must differ, both are 9092");
    }
}
