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

    private static TeacherConfig config(Map<String, String> values) {
        return new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 100, new DurationConverter())
                .withMapping(TeacherConfig.class)
                .withSources(new PropertiesConfigSource(values, "test", 100))
                .build()
                .getConfigMapping(TeacherConfig.class);
    }
}
