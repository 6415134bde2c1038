package io.kdflow.sampler.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdflow.core.error.BadInputException;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The start-up rules of {@code sampler.*}, applied to the real SmallRye mapping of properties. */
class SamplerSettingsCheckTest {

    @Test
    void shouldAcceptTheDefaults() {
        assertThat(SamplerSettingsCheck.rules(config(Map.of())).broken()).isEmpty();
    }

    @Test
    void shouldStopTheStartNamingTheKeyTheValueAndTheRule() {
        SamplerSettingsCheck check = new SamplerSettingsCheck(config(Map.of("sampler.max-held-examples", "-1",
                "sampler.max-pseudo-targets", "0", "sampler.send-timeout", "0s", "sampler.model-store", " ",
                "sampler.flush-after", "-1s")));

        assertThatThrownBy(check::check).isInstanceOf(BadInputException.class).hasMessage(
                "sampler.model-store: ' ' is not allowed (must name a directory); "
                        + "sampler.max-held-examples: -1 is not allowed (must be >= 0); "
                        + "sampler.max-pseudo-targets: 0 is not allowed (must be from 1 to 4096); "
                        + "sampler.flush-after: PT-1S is not allowed (must be longer than 0); "
                        + "sampler.send-timeout: PT0S is not allowed (must be longer than 0)");
    }

    private static SamplerConfig config(Map<String, String> values) {
        return new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 100, new DurationConverter())
                .withMapping(SamplerConfig.class)
                .withSources(new PropertiesConfigSource(values, "test", 100))
                .build()
                .getConfigMapping(SamplerConfig.class);
    }
}
