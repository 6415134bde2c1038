package io.kdflow.cli.pipeline;

import io.kdflow.core.compute.LatencySettings;
import io.kdflow.core.local.LocalOptions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration {@code ./kdflow run} gives each service it starts, as system properties: the broker, the
 * libtorch thread budget, and, under the run directory, the shared model store ({@code model-store/}: the
 * teacher-service's teachers, the trainer's run and cache, the checkpoints the evaluator reads) and each
 * service's own state ({@code <service>-data/}). The evaluator measures latency with distill --local's settings
 * ({@link LocalOptions#QUICK_LATENCY}), so that pipeline and local numbers compare. Only keys the service maps
 * are passed: a misspelled one stops it at start (SmallRye validates unknown keys of a mapped prefix).
 *
 * <p>Thread budget: every service gets the job's {@code threads} (else the machine's cores) as libtorch intra-op
 * threads. The services mostly take turns (teacher, then PT generation overlapping training, then evaluation),
 * and idle libtorch workers sleep (OMP_WAIT_POLICY=PASSIVE), so splitting the budget would slow each phase
 * without relieving the one that runs.
 */
record ServiceConfig(String bootstrapServers, Path runDir, int threads, Map<String, String> kafkaClients) {

    /** The services {@code ./kdflow run} starts, in start order. */
    static final List<String> SERVICES = List.of("teacher-service", "pt-sampler", "student-trainer", "evaluator");

    /** Services that keep state of their own beside the model store. */
    private static final List<String> WITH_DATA_DIR = List.of("student-trainer", "evaluator");

    /** Config key prefix of each service. */
    private static final Map<String, String> PREFIX = Map.of("teacher-service", "teacher", "pt-sampler", "sampler",
            "student-trainer", "trainer", "evaluator", "evaluator");

    /**
     * Consumer group timing for a cluster whose processes get killed ({@code ./kdflow chaos}): a member killed with
     * SIGKILL never leaves its group, so its partitions wait for its session to time out (Kafka's default 45 s)
     * before the restarted process gets them; 10 s (heartbeats every 3 s) brings that down without false alarms on
     * a busy machine.
     */
    static final Map<String, String> FAST_FAILOVER = Map.of("kafka.session.timeout.ms", "10000",
            "kafka.heartbeat.interval.ms", "3000");

    ServiceConfig {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        kafkaClients = Map.copyOf(kafkaClients);
        kafkaClients.keySet().stream().filter(key -> !key.startsWith("kafka.")).findFirst().ifPresent(key -> {
            throw new IllegalArgumentException("not a kafka.* client setting: " + key);
        });
    }

    /** The services' Kafka clients with their defaults. */
    ServiceConfig(String bootstrapServers, Path runDir, int threads) {
        this(bootstrapServers, runDir, threads, Map.of());
    }

    /** The job's threads, else the machine's cores. */
    static int threadsOf(int jobThreads) {
        return jobThreads > 0 ? jobThreads : Runtime.getRuntime().availableProcessors();
    }

    Path modelStore() {
        return runDir.resolve("model-store");
    }

    Path dataDir(String service) {
        return runDir.resolve(prefix(service) + "-data");
    }

    Map<String, String> properties(String service) {
        String prefix = prefix(service);
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("kafka.bootstrap.servers", bootstrapServers);
        new java.util.TreeMap<>(kafkaClients).forEach(properties::put);
        properties.put("kdflow.engine.intra-op-threads", Integer.toString(threads));
        properties.put("kdflow.engine.inter-op-threads", "1");
        properties.put(prefix + ".model-store", modelStore().toString());
        if (WITH_DATA_DIR.contains(service)) {
            properties.put(prefix + ".data-dir", dataDir(service).toString());
        }
        if (service.equals("evaluator")) {
            LatencySettings latency = LocalOptions.QUICK_LATENCY;
            properties.put("evaluator.compute.latency.enabled", "true");
            properties.put("evaluator.compute.source-length", Integer.toString(latency.sourceLength()));
            properties.put("evaluator.compute.target-length", Integer.toString(latency.newTokens()));
            properties.put("evaluator.compute.latency.warmup-calls", Integer.toString(latency.warmupCalls()));
            properties.put("evaluator.compute.latency.calls", Integer.toString(latency.calls()));
        }
        return properties;
    }

    private static String prefix(String service) {
        String prefix = PREFIX.get(service);
        if (prefix == null) {
            throw new IllegalArgumentException("unknown service " + service + ", expected one of " + SERVICES);
        }
        return prefix;
    }
}
