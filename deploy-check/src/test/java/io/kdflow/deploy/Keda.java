package io.kdflow.deploy;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields of KEDA's {@code keda.sh/v1alpha1} resources that a kustomization may set, as records (KEDA ships no
 * Java model): {@link Schemas} reads resources into them with unknown fields failing. Field names follow KEDA's
 * CRDs (ScaledObject, TriggerAuthentication) and its Kafka scaler's documented parameters.
 */
public final class Keda {

    /** The Kafka scaler's trigger metadata keys (KEDA docs, "Apache Kafka" scaler). */
    static final Set<String> KAFKA_TRIGGER_METADATA = Set.of("bootstrapServers", "consumerGroup", "topic",
            "lagThreshold", "activationLagThreshold", "offsetResetPolicy", "allowIdleConsumers",
            "scaleToZeroOnInvalidOffset", "excludePersistentLag", "limitToPartitionsWithLag", "partitionLimitation",
            "version", "sasl", "tls", "unsafeSsl");

    /** The parameters a TriggerAuthentication may give the Kafka scaler. */
    static final Set<String> KAFKA_AUTH_PARAMETERS = Set.of("sasl", "username", "password", "tls", "ca", "cert",
            "key", "keyPassword", "oauthTokenEndpointUri", "scopes", "oauthExtensions");

    private Keda() {
    }

    public record ScaledObject(String apiVersion, String kind, ObjectMeta metadata, ScaledObjectSpec spec) {
    }

    public record ScaledObjectSpec(ScaleTargetRef scaleTargetRef, Integer pollingInterval, Integer cooldownPeriod,
            Integer initialCooldownPeriod, Integer idleReplicaCount, Integer minReplicaCount, Integer maxReplicaCount,
            Map<String, Object> advanced, Map<String, Object> fallback, List<Trigger> triggers) {
    }

    public record ScaleTargetRef(String apiVersion, String kind, String name, String envSourceContainerName) {
    }

    public record Trigger(String type, String name, Boolean useCachedMetrics, String metricType,
            Map<String, String> metadata, AuthenticationRef authenticationRef) {
    }

    public record AuthenticationRef(String name, String kind) {
    }

    public record TriggerAuthentication(String apiVersion, String kind, ObjectMeta metadata, TriggerAuthenticationSpec spec) {
    }

    public record TriggerAuthenticationSpec(List<SecretTargetRef> secretTargetRef) {
    }

    public record SecretTargetRef(String parameter, String name, String key) {
    }
}
