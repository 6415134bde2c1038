package io.kdflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdflow.core.wire.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What must agree between deploy/ and the code, checked on every rendering so that neither can drift: topic names,
 * the sampler's consumer group, partitions against replicas, ports, probes, configuration keys, thread budget
 * against CPUs, images, volumes, scraping and (prod) the Kafka security settings.
 */
class CrossChecksTest {

    /**
     * Process environment the services' images read themselves (not Quarkus configuration), and Kafka client
     * settings every channel takes from the global {@code kafka.*} configuration (no application.properties key).
     */
    private static final Set<String> PROCESS_ENVIRONMENT = Set.of("DJL_CACHE_DIR", "ENGINE_CACHE_DIR",
            "JAVA_TOOL_OPTIONS", "KAFKA_SESSION_TIMEOUT_MS", "KAFKA_HEARTBEAT_INTERVAL_MS");

    static List<Rendered> rendered() {
        return Rendered.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rendered")
    void oneKafkaTopicPerTopicOfTheCode(Rendered rendered) {
        List<Map<String, Object>> topics = rendered.ofKind("KafkaTopic");
        assertThat(topics).extracting(t -> Yaml.string(t, "spec", "topicName"))
                .containsExactlyInAnyOrderElementsOf(Topics.all());
        String cluster = Yaml.string(rendered.ofKind("Kafka").get(0), "metadata", "name");
        int brokers = ((Number) Yaml.map(rendered.ofKind("KafkaNodePool").get(0), "spec").get("replicas")).intValue();
        int minInSync = ((Number) Yaml.map(rendered.ofKind("Kafka").get(0), "spec", "kafka", "config")
                .get("min.insync.replicas")).intValue();
        for (Map<String, Object> topic : topics) {
            String name = Yaml.string(topic, "metadata", "name");
            assertThat(name).isEqualTo(Yaml.string(topic, "spec", "topicName"));
            assertThat(Yaml.map(topic, "metadata", "labels")).containsEntry("strimzi.io/cluster", cluster);
            int replicas = ((Number) Yaml.map(topic, "spec").get("replicas")).intValue();
            assertThat(replicas).as(name).isEqualTo(brokers);
            // One broker may be down without stopping acks=all producers (except on a single broker).
            assertThat(minInSync).as(name).isEqualTo(brokers == 1 ? 1 : brokers - 1);
        }
        assertThat(topicConfig(rendered, Topics.JOBS)).containsEntry("cleanup.policy", "compact");
        assertThat(topicConfig(rendered, Topics.PSEUDO_TARGETS)).containsEntry("retention.ms", -1)
                .containsEntry("retention.bytes", -1);
        assertThat(topicConfig(rendered, Topics.STUDENT_SAMPLES)).containsEntry("retention.ms", 3_600_000);
        assertThat(topicConfig(rendered, Topics.STUDENT_SCORES)).containsEntry("retention.ms", 3_600_000);
        assertThat(Yaml.map(rendered.ofKind("KafkaNodePool").get(0), "metadata", "labels"))
                .containsEntry("strimzi.io/cluster", cluster);
        assertThat(Yaml.map(rendered.ofKind("Kafka").get(0), "spec", "kafkaExporter")).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rendered")
    void theScaledObjectScalesTheSamplersGroupUpToThePartitions(Rendered rendered) {
        Properties sampler = Repo.applicationProperties("pt-sampler");
        Map<String, Object> scaledObject = rendered.get("ScaledObject", "pt-sampler");
        Map<String, Object> spec = Yaml.map(scaledObject, "spec");
        @SuppressWarnings("unchecked")
        Map<String, Object> trigger = (Map<String, Object>) Yaml.list(scaledObject, "spec", "triggers").get(0);
        Map<String, Object> metadata = Yaml.map(trigger, "metadata");

        assertThat(metadata.get("consumerGroup")).isEqualTo(sampler.getProperty("mp.messaging.incoming.examples.group.id"));
        assertThat(metadata.get("topic")).isEqualTo(sampler.getProperty("mp.messaging.incoming.examples.topic"))
                .isEqualTo(Topics.EXAMPLES);
        assertThat(Yaml.string(scaledObject, "spec", "scaleTargetRef", "name")).isEqualTo("pt-sampler");
        rendered.get("Deployment", "pt-sampler");

        int partitions = ((Number) Yaml.map(rendered.get("KafkaTopic", Topics.EXAMPLES), "spec").get("partitions")).intValue();
        int max = ((Number) spec.get("maxReplicaCount")).intValue();
        int min = ((Number) spec.get("minReplicaCount")).intValue();
        assertThat(max).isLessThanOrEqualTo(partitions).isGreaterThanOrEqualTo(Math.max(min, 1));
        assertThat(min).isEqualTo(rendered.name().equals("dev") ? 0 : 1);
        assertThat(Integer.parseInt((String) metadata.get("lagThreshold"))).isEqualTo(1000);
        // KEDA reads the lag where the services read their records.
        assertThat(metadata.get("bootstrapServers"))
                .isEqualTo(Workloads.environment(rendered, "pt-sampler").get("KAFKA_BOOTSTRAP_SERVERS"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rendered")
    void clientsConnectToAListenerOfTheKafkaCluster(Rendered rendered) {
        Map<String, Object> kafka = rendered.ofKind("Kafka").get(0);
        String bootstrapHost = Yaml.string(kafka, "metadata", "name") + "-kafka-bootstrap";
        for (String service : Repo.SERVICES) {
            Map<String, String> environment = Workloads.environment(rendered, service);
            String[] bootstrap = environment.get("KAFKA_BOOTSTRAP_SERVERS").split(":");
            assertThat(bootstrap[0]).as(service).isEqualTo(bootstrapHost);
            @SuppressWarnings("unchecked")
            Map<String, Object> listener = Yaml.list(kafka, "spec", "kafka", "listeners").stream()
                    .map(l -> (Map<String, Object>) l)
                    .filter(l -> String.valueOf(l.get("port")).equals(bootstrap[1]))
                    .findFirst().orElseThrow(() -> new AssertionError(service + ": no listener on " + bootstrap[1]));
            assertThat(listener.get("type")).isEqualTo("internal");
            boolean secured = Boolean.TRUE.equals(listener.get("tls"));
            assertThat(rendered.name().startsWith("prod")).as("prod listens on TLS only").isEqualTo(secured);
            if (secured) {
                assertThat(Yaml.string(listener, "authentication", "type")).isEqualTo("scram-sha-512");
                assertThat(environment)
                        .containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
                        .containsEntry("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
                        .containsEntry("KAFKA_SASL_JAAS_CONFIG", "secret:kdflow-services/sasl.jaas.config")
                        .containsEntry("KAFKA_SSL_TRUSTSTORE_TYPE", "PEM")
                        .containsEntry("KDFLOW_API_TOKEN", "secret:kdflow-api-token/token");
                rendered.get("KafkaUser", "kdflow-services");
                String caMount = caMountPath(rendered, service, Yaml.string(kafka, "metadata", "name") + "-cluster-ca-cert");
                assertThat(environment.get("KAFKA_SSL_TRUSTSTORE_LOCATION")).isEqualTo(caMount + "/ca.crt");
            } else {
                assertThat(environment).doesNotContainKeys("KAFKA_SECURITY_PROTOCOL", "KDFLOW_API_TOKEN");
            }
        }
        if (rendered.name().startsWith("prod")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> trigger = (Map<String, Object>) Yaml.list(
                    rendered.get("ScaledObject", "pt-sampler"), "spec", "triggers").get(0);
            Map<String, Object> auth = rendered.get("TriggerAuthentication",
                    Yaml.string(trigger, "authenticationRef", "name"));
            assertThat(Yaml.list(auth, "spec", "secretTargetRef")).extracting(r -> ((Map<?, ?>) r).get("parameter")
                    + "=" + ((Map<?, ?>) r).get("name") + "/" + ((Map<?, ?>) r).get("key"))
                    .contains("password=kdflow-services/password", "ca=kdflow-cluster-ca-cert/ca.crt");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rendered")
    void portsProbesAndImagesMatchTheServices(Rendered rendered) throws IOException {
        for (String service : Repo.SERVICES) {
            Properties app = Repo.applicationProperties(service);
            Map<String, Object> container = Workloads.container(rendered.get("Deployment", service));
            @SuppressWarnings("unchecked")
            Map<String, Object> port = (Map<String, Object>) Yaml.list(container, "ports").get(0);
            assertThat(port).as(service).containsEntry("name", "http")
                    .containsEntry("containerPort", Integer.parseInt(app.getProperty("quarkus.http.port")));
            assertThat(Yaml.string(container, "livenessProbe", "httpGet", "path")).isEqualTo("/q/health/live");
            assertThat(Yaml.string(container, "startupProbe", "httpGet", "path")).isEqualTo("/q/health/live");
            assertThat(Yaml.string(container, "readinessProbe", "httpGet", "path")).isEqualTo("/q/health/ready");
            for (String probe : List.of("livenessProbe", "startupProbe", "readinessProbe")) {
                assertThat(Yaml.string(container, probe, "httpGet", "port")).isEqualTo("http");
            }
            assertThat(container.get("image")).isEqualTo("kdflow/" + service + ":" + Repo.version());

            @SuppressWarnings("unchecked")
            Map<String, Object> servicePort = (Map<String, Object>) Yaml.list(rendered.get("Service", service),
                    "spec", "ports").get(0);
            assertThat(servicePort).containsEntry("targetPort", "http").containsEntry("port", port.get("containerPort"));
            assertThat(Yaml.map(rendered.get("Service", service), "spec", "selector"))
                    .isEqualTo(Yaml.map(rendered.get("Deployment", service), "spec", "selector", "matchLabels"));
        }
        // The probes and /q/metrics exist because every service has service-support's health and Prometheus registry.
        String support = Files.readString(Repo.ROOT.resolve("service-support/pom.xml"));
        assertThat(support).contains("<artifactId>quarkus-smallrye-health</artifactId>",
                "<artifactId>quarkus-micrometer-registry-prometheus</artifactId>");
        for (String service : Repo.SERVICES) {
            assertThat(Files.readString(Repo.ROOT.resolve(service).resolve("pom.xml")))
                    .as(service).contains("<artifactId>service-support</artifactId>");
        }
    }

    /** The image each Deployment runs is built from the service's Dockerfile: same port, same non-root user. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("rendered")
    void theServicesDockerfilesExposeTheirPortAndRunAsThePodsUser(Rendered rendered) throws IOException {
        for (String service : Repo.SERVICES) {
            List<String> dockerfile = Files.readAllLines(
                    Repo.ROOT.resolve(service).resolve("src/main/docker/Dockerfile.jvm"));
            String port = Repo.applicationProperties(service).getProperty("quarkus.http.port");
            assertThat(dockerfile).as("%s Dockerfile.jvm", service).contains("EXPOSE " + port);
            Object runAsUser = Yaml.map(rendered.get("Deployment", service), "spec", "template", "spec",
                    "securityContext").get("runAsUser");
            assertThat(dockerfile).as("%s Dockerfile.jvm", service).contains("USER " + runAsUser);
            assertThat(dockerfile.stream().filter(line -> line.startsWith("COPY ")))
                    .as("%s: the fast-jar layout", service)
                    .anySatisfy(line -> assertThat(line).endsWith("target/quarkus-app/lib/ /deployments/lib/"))
                    .anySatisfy(line -> assertThat(line).contains("target/quarkus-app/quarkus/"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rendered")
    void configurationNamesKeysTheServicesHave(Rendered rendered) {
        for (String service : Repo.SERVICES) {
            Set<String> known = Repo.applicationProperties(service).stringPropertyNames().stream()
                    .filter(k -> !k.startsWith("%"))
                    .map(CrossChecksTest::environmentName)
                    .collect(Collectors.toSet());
            Map<String, Object> configMap = rendered.get("ConfigMap", service + "-config");
            for (String key : Yaml.map(configMap, "data").keySet()) {
                if (!PROCESS_ENVIRONMENT.contains(key)) {
                    assertThat(known).as("%s: %s names no key of its application.properties", service, key)
                            .contains(key);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rendered")
    void cpusFollowTheThreadBudget(Rendered rendered) {
        for (String service : Repo.SERVICES) {
            Map<String, String> environment = Workloads.environment(rendered, service);
            int intraOp = Integer.parseInt(environment.get("KDFLOW_ENGINE_INTRA_OP_THREADS"));
            int jobThreads = Integer.parseInt(environment.getOrDefault("KDFLOW_SERVICE_JOB_THREADS", "1"));
            Map<String, Object> resources = Yaml.map(Workloads.container(rendered.get("Deployment", service)), "resources");
            double requested = Workloads.cores(Yaml.map(resources, "requests").get("cpu"));
            double limit = Workloads.cores(Yaml.map(resources, "limits").get("cpu"));
            assertThat(requested).as("%s %s: CPUs requested = intra-op threads x job threads", rendered, service)
                    .isEqualTo(intraOp * jobThreads);
            assertThat(limit).as("%s %s: one core for the JVM on top", rendered, service).isEqualTo(requested + 1);
            assertThat(Yaml.map(resources, "requests").get("memory")).as(service)
                    .isEqualTo(Yaml.map(resources, "limits").get("memory"));
            assertThat(environment).containsEntry("KDFLOW_ENGINE_INTER_OP_THREADS", "1");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rendered")
    void theDjlCacheIsAnEmptyDirAndTheStoreIsAReadWriteManyClaim(Rendered rendered) {
        Map<String, Object> claim = rendered.get("PersistentVolumeClaim", "kdflow-store");
        assertThat(Yaml.list(claim, "spec", "accessModes")).containsExactly("ReadWriteMany");
        for (String service : Repo.SERVICES) {
            Map<String, Object> deployment = rendered.get("Deployment", service);
            Map<String, String> environment = Workloads.environment(rendered, service);
            Map<String, String> mounts = Yaml.list(Workloads.container(deployment), "volumeMounts").stream()
                    .map(m -> (Map<?, ?>) m)
                    .collect(Collectors.toMap(m -> (String) m.get("name"), m -> (String) m.get("mountPath")));
            Map<String, Map<?, ?>> volumes = Yaml.list(deployment, "spec", "template", "spec", "volumes").stream()
                    .map(v -> (Map<?, ?>) v)
                    .collect(Collectors.toMap(v -> (String) v.get("name"), v -> v));

            String cache = environment.get("DJL_CACHE_DIR");
            assertThat(environment.get("ENGINE_CACHE_DIR")).isEqualTo(cache);
            String cacheVolume = volumeAt(mounts, cache);
            assertThat(volumes.get(cacheVolume).containsKey("emptyDir")).as(service + ": DJL cache on an emptyDir").isTrue();

            String storeMount = mounts.get("store");
            assertThat(((Map<?, ?>) volumes.get("store").get("persistentVolumeClaim")).get("claimName"))
                    .isEqualTo("kdflow-store");
            assertThat(environment.entrySet().stream()
                    .filter(e -> e.getKey().endsWith("_MODEL_STORE") || e.getKey().endsWith("_DATA_DIR")))
                    .as(service).isNotEmpty()
                    .allSatisfy(e -> assertThat(e.getValue()).startsWith(storeMount + "/"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rendered")
    void podMonitorsScrapeTheServicesAndTheKafkaExporter(Rendered rendered) {
        Map<String, Object> services = rendered.get("PodMonitor", "kdflow-services");
        Map<String, Object> selector = Yaml.map(services, "spec", "selector", "matchLabels");
        for (String service : Repo.SERVICES) {
            Map<String, Object> podLabels = Yaml.map(rendered.get("Deployment", service),
                    "spec", "template", "metadata", "labels");
            assertThat(podLabels).as(service).containsAllEntriesOf(selector)
                    .containsEntry(Yaml.string(services, "spec", "jobLabel"), service);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> endpoint = (Map<String, Object>) Yaml.list(services, "spec", "podMetricsEndpoints").get(0);
        assertThat(endpoint).containsEntry("port", "http").containsEntry("path", "/q/metrics");

        Map<String, Object> exporter = rendered.get("PodMonitor", "kdflow-kafka-exporter");
        assertThat(Yaml.map(exporter, "spec", "selector", "matchLabels")).containsEntry("strimzi.io/name",
                Yaml.string(rendered.ofKind("Kafka").get(0), "metadata", "name") + "-kafka-exporter");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rendered")
    void gpusOnlyWithTheGpuComponent(Rendered rendered) {
        for (String service : Repo.SERVICES) {
            Map<String, Object> limits = Yaml.map(Workloads.container(rendered.get("Deployment", service)),
                    "resources", "limits");
            boolean gpu = rendered.name().equals("prod+gpu") && !service.equals("evaluator");
            if (gpu) {
                assertThat(limits).as(service).containsEntry("nvidia.com/gpu", 1);
                assertThat(Yaml.list(rendered.get("Deployment", service), "spec", "template", "spec", "tolerations"))
                        .hasSize(1);
            } else {
                assertThat(limits).as(service).doesNotContainKey("nvidia.com/gpu");
            }
        }
    }

    /** {@code kdflow.engine.intra-op-threads} as SmallRye reads it from the environment. */
    static String environmentName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private static Map<String, Object> topicConfig(Rendered rendered, String topic) {
        return Yaml.map(rendered.get("KafkaTopic", topic), "spec", "config");
    }

    private static String volumeAt(Map<String, String> mounts, String path) {
        return mounts.entrySet().stream().filter(e -> e.getValue().equals(path)).map(Map.Entry::getKey)
                .findFirst().orElseThrow(() -> new AssertionError("no volume mounted at " + path));
    }

    private static String caMountPath(Rendered rendered, String service, String caSecret) {
        Map<String, Object> deployment = rendered.get("Deployment", service);
        String volume = Yaml.list(deployment, "spec", "template", "spec", "volumes").stream()
                .map(v -> (Map<?, ?>) v)
                .filter(v -> v.get("secret") instanceof Map<?, ?> s && caSecret.equals(String.valueOf(s.get("secretName"))))
                .map(v -> (String) v.get("name")).findFirst()
                .orElseThrow(() -> new AssertionError(service + ": no volume of secret " + caSecret));
        return Yaml.list(Workloads.container(deployment), "volumeMounts").stream().map(m -> (Map<?, ?>) m)
                .filter(m -> volume.equals(m.get("name"))).map(m -> (String) m.get("mountPath")).findFirst()
                .orElseThrow();
    }
}
