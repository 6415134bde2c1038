package io.kdflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every rendered resource of every kustomization is valid against its schema, unknown fields included. */
class SchemaValidationTest {

    static List<Rendered> rendered() {
        return Rendered.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rendered")
    void everyResourceMatchesItsSchema(Rendered rendered) {
        assertThat(rendered.resources()).isNotEmpty();
        assertThat(rendered.resources().stream().flatMap(r -> Schemas.violations(r).stream()))
                .as(rendered.name()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rendered")
    void kafkaTriggersUseOnlyTheKafkaScalersParameters(Rendered rendered) {
        for (Map<String, Object> scaledObject : rendered.ofKind("ScaledObject")) {
            for (Object trigger : Yaml.list(scaledObject, "spec", "triggers")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> t = (Map<String, Object>) trigger;
                assertThat(t.get("type")).isEqualTo("kafka");
                assertThat(Yaml.map(t, "metadata").keySet()).isSubsetOf(Keda.KAFKA_TRIGGER_METADATA);
                // KEDA reads trigger metadata as strings: a YAML number would be rejected by its CRD.
                assertThat(Yaml.map(t, "metadata").values()).allSatisfy(v -> assertThat(v).isInstanceOf(String.class));
            }
        }
        for (Map<String, Object> auth : rendered.ofKind("TriggerAuthentication")) {
            assertThat(Yaml.list(auth, "spec", "secretTargetRef"))
                    .allSatisfy(ref -> assertThat(((Map<?, ?>) ref).get("parameter")).isIn(Keda.KAFKA_AUTH_PARAMETERS));
        }
    }

    @Test
    void aMisspelledFieldAtAnyDepthIsAViolation() {
        Map<String, Object> deployment = Yaml.copy(Rendered.of("base").get("Deployment", "pt-sampler"));
        Map<String, Object> container = firstContainer(deployment);
        container.put("livenesProbe", container.remove("livenessProbe"));

        assertThat(Schemas.violations(deployment))
                .containsExactly("Deployment pt-sampler.spec.template.spec.containers[0]: unknown field(s) [livenesProbe]");
    }

    @Test
    void aMisspelledStrimziOrKedaFieldIsAViolation() {
        Map<String, Object> topic = Yaml.copy(Rendered.of("base").get("KafkaTopic", "kdflow.examples.v1"));
        Yaml.map(topic, "spec").put("partition", 8);
        assertThat(Schemas.violations(topic))
                .containsExactly("KafkaTopic kdflow.examples.v1.spec: unknown field(s) [partition]");

        Map<String, Object> scaledObject = Yaml.copy(Rendered.of("base").get("ScaledObject", "pt-sampler"));
        Yaml.map(scaledObject, "spec").put("maxReplicas", 8);
        assertThat(Schemas.violations(scaledObject)).singleElement().asString()
                .startsWith("ScaledObject pt-sampler: ")
                .contains("Unrecognized field \"maxReplicas\"");
    }

    @Test
    void aWrongTypeOrApiVersionIsAViolation() {
        Map<String, Object> pool = Yaml.copy(Rendered.of("base").get("KafkaNodePool", "dual-role"));
        Yaml.map(pool, "spec").put("replicas", "three");
        pool.put("apiVersion", "kafka.strimzi.io/v1beta2");
        List<String> violations = Schemas.violations(pool);
        assertThat(violations).hasSize(2);
        assertThat(violations.get(0)).isEqualTo(
                "KafkaNodePool dual-role: apiVersion kafka.strimzi.io/v1beta2, expected kafka.strimzi.io/v1");
        assertThat(violations.get(1)).startsWith("KafkaNodePool dual-role: ").contains("\"three\"");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> firstContainer(Map<String, Object> deployment) {
        return (Map<String, Object>) Yaml.list(deployment, "spec", "template", "spec", "containers").get(0);
    }
}
