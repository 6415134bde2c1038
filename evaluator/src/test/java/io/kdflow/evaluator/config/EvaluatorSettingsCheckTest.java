package io.kdflow.evaluator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdflow.core.error.BadInputException;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The start-up rules of {@code evaluator.*}, applied to the real SmallRye mapping of properties. */
class EvaluatorSettingsCheckTest {

    @Test
    void shouldAcceptTheDefaults() {
        assertThat(EvaluatorSettingsCheck.rules(config(Map.of())).broken()).isEmpty();
    }

    @Test
    void shouldNameTheKeyTheValueAndTheRuleOfEveryBadSetting() {
        EvaluatorConfig config = config(Map.of(
                "evaluator.batch-size", "0",
                "evaluator.num-beams", "65",
                "evaluator.selection-metric", "blue",
                "evaluator.send-timeout", "0s",
                "evaluator.compute.latency.warmup-calls", "-1"));

        assertThat(EvaluatorSettingsCheck.rules(config).broken()).containsExactly(
                "evaluator.send-timeout: PT0S is not allowed (must be longer than 0)",
                "evaluator.num-beams: 65 is not allowed (must be from 1 to 64)",
                "evaluator.batch-size: 0 is not allowed (must be >= 1)",
                "evaluator.selection-metric: 'blue' is not allowed (one of bleu, chrf, ter, rouge, rouge1_p, "
                        + "rouge1_r, rouge1_f, rouge2_p, rouge2_r, rouge2_f, rougeL_p, rougeL_r, rougeL_f, nll)",
                "evaluator.compute.latency.warmup-calls: -1 is not allowed (must be >= 0)");
    }

    @Test
    void shouldStopTheStartWithBadInputListingTheBrokenRules() {
        EvaluatorSettingsCheck check = new EvaluatorSettingsCheck(config(Map.of("evaluator.max-examples", "0",
                "evaluator.compute.throughput.max-batch", "0")));

        assertThatThrownBy(check::check).isInstanceOf(BadInputException.class).hasMessage(
                "evaluator.max-examples: 0 is not allowed (must be >= 1); "
                        + "evaluator.compute.throughput.max-batch: 0 is not allowed (must be >= 1)");
    }

    private static EvaluatorConfig config(Map<String, String> values) {
        Map<String, String> properties = new HashMap<>(values);
        properties.put("evaluator.datasets.default.dev", "dev.jsonl");
        return new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 100, new DurationConverter())
                .withMapping(EvaluatorConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build()
                .getConfigMapping(EvaluatorConfig.class);
    }
}
