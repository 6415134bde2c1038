package io.kdflow.trainer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdflow.core.error.BadInputException;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The start-up rules of {@code trainer.*}, applied to the real SmallRye mapping of properties. */
class TrainerSettingsCheckTest {

    @Test
    void shouldAcceptTheDefaults() {
        assertThat(TrainerSettingsCheck.rules(config(Map.of())).broken()).isEmpty();
    }

    @Test
    void shouldStopTheStartNamingTheKeyTheValueAndTheRule() {
        TrainerSettingsCheck check = new TrainerSettingsCheck(config(Map.of("trainer.max-batch-size", "0",
                "trainer.max-tokens", "1")));

        assertThatThrownBy(check::check).isInstanceOf(BadInputException.class).hasMessage(
                "trainer.max-batch-size: 0 is not allowed (must be from 1 to 1048576); "
                        + "trainer.max-tokens: 1 is not allowed (must be from 2 to 1048576)");
    }

    private static TrainerConfig config(Map<String, String> values) {
        return new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 100, new DurationConverter())
                .withMapping(TrainerConfig.class)
                .withSources(new PropertiesConfigSource(values, "test", 100))
                .build()
                .getConfigMapping(TrainerConfig.class);
    }
}
