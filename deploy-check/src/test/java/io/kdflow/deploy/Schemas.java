package io.kdflow.deploy;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Validates rendered resources against their schemas, strictly: each is read into its Java model (fabric8's
 * Kubernetes and Prometheus-operator models, Strimzi's API classes, {@link Keda}'s records), and any field the model
 * does not know, at any depth, is a violation. fabric8 and Strimzi models keep unknown fields in
 * {@code additionalProperties} instead of failing, so every object of the read model is walked for them.
 */
final class Schemas {

    /** The model and the apiVersion of each kind deploy/ uses. */
    record Schema(String apiVersion, Class<?> model) {
    }

    static final Map<String, Schema> BY_KIND = Map.ofEntries(
            Map.entry("ConfigMap", new Schema("v1", ConfigMap.class)),
            Map.entry("Secret", new Schema("v1", Secret.class)),
            Map.entry("Service", new Schema("v1", Service.class)),
            Map.entry("PersistentVolumeClaim", new Schema("v1", PersistentVolumeClaim.class)),
            Map.entry("Deployment", new Schema("apps/v1", Deployment.class)),
            Map.entry("Kafka", new Schema("kafka.strimzi.io/v1", Kafka.class)),
            Map.entry("KafkaNodePool", new Schema("kafka.strimzi.io/v1", KafkaNodePool.class)),
            Map.entry("KafkaTopic", new Schema("kafka.strimzi.io/v1", KafkaTopic.class)),
            Map.entry("KafkaUser", new Schema("kafka.strimzi.io/v1", KafkaUser.class)),
            Map.entry("PodMonitor", new Schema("monitoring.coreos.com/v1", PodMonitor.class)),
            Map.entry("PrometheusRule", new Schema("monitoring.coreos.com/v1", PrometheusRule.class)),
            Map.entry("ScaledObject", new Schema("keda.sh/v1alpha1", Keda.ScaledObject.class)),
            Map.entry("TriggerAuthentication", new Schema("keda.sh/v1alpha1", Keda.TriggerAuthentication.class)));

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private Schemas() {
    }

    /** What is wrong with {@code resource}, each naming where; empty when it is valid. */
    static List<String> violations(Map<String, Object> resource) {
        String kind = (String) resource.get("kind");
        String where = kind + " " + Yaml.string(resource, "metadata", "name");
        Schema schema = BY_KIND.get(kind);
        if (schema == null) {
            return List.of(where + ": no schema for kind " + kind + " (known: " + BY_KIND.keySet() + ")");
        }
        List<String> violations = new ArrayList<>();
        if (!schema.apiVersion().equals(resource.get("apiVersion"))) {
            violations.add(where + ": apiVersion " + resource.get("apiVersion") + ", expected " + schema.apiVersion());
        }
        Object model;
        try {
            model = MAPPER.convertValue(resource, schema.model());
        } catch (IllegalArgumentException e) {
            violations.add(where + ": " + e.getMessage());
            return violations;
        }
        walk(model, where, violations);
        return violations;
    }

    private static void walk(Object value, String path, List<String> violations) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof Enum<?>) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, element) -> walk(element, path + "." + key, violations));
            return;
        }
        if (value instanceof Collection<?> collection) {
            int i = 0;
            for (Object element : collection) {
                walk(element, path + "[" + i++ + "]", violations);
            }
            return;
        }
        BeanDescription bean = MAPPER.getSerializationConfig().introspect(MAPPER.constructType(value.getClass()));
        AnnotatedMember anyGetter = bean.findAnyGetter();
        if (anyGetter != null && anyGetter.getValue(value) instanceof Map<?, ?> unknown && !unknown.isEmpty()) {
            violations.add(path + ": unknown field(s) " + unknown.keySet());
        }
        for (BeanPropertyDefinition property : bean.findProperties()) {
            AnnotatedMember accessor = property.getAccessor();
            if (accessor != null && property.couldSerialize()) {
                walk(accessor.getValue(value), path + "." + property.getName(), violations);
            }
        }
    }
}
