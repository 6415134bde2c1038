package io.kdflow.teacher.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdflow.core.error.BadInputException;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The start-up rules of {@code teacher.*}, applied to the real SmallRye mapping of properties. */
class TeacherSettingsCheckTest {

    @Test
    void shouldAcceptTheDefaults() {
        assertThat(TeacherSettingsCheck.rules(config(Map.of())).broken()).isEmpty();
    }

    @Test
    void shouldStopTheStartNamingTheKeyTheValueAndTheRule() {
        TeacherSettingsCheck check = new TeacherSettingsCheck(config(Map.of("teacher.echo-vocab-size", "0",
                "teacher.send-timeout", "-5s")));

        assertThatThrownBy(check::check).isInstanceOf(BadInputException.class).hasMessage(
                "teacher.echo-vocab-size: 0 is not allowed (must be >= 1); "
                        + "teacher.send-timeout: PT-5S is not allowed (must be longer than 0)");
    }

    @Test
    void shouldNameOutOfRangeRequestLimits() {
        // The blank-token rule moved with the token to kdflow.api.token (service-support ApiGuardRulesTest).
        TeacherSettingsCheck check = new TeacherSettingsCheck(config(Map.of(
                "teacher.max-request-bytes", "10", "teacher.max-request-items", "0", "teacher.model-store", " ")));

        assertThatThrownBy(check::check).isInstanceOf(BadInputException.class).hasMessage(
                "teacher.model-store: ' ' is not allowed (must name a directory); "
                        + "teacher.max-request-bytes: 10 is not allowed (must be from 1024 to 268435456); "
                        + "teacher.max-request-items: 0 is not allowed (must be from 1 to 4096)");
    }

    private static TeacherConfig config(Map<String, String> values) {
        return new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 100, new DurationConverter())
                .withMapping(TeacherConfig.class)
                .withSources(new PropertiesConfigSource(values, "test", 100))
                .build()
                .getConfigMapping(TeacherConfig.class);
    }
}
