package io.kdflow.cli.pipeline;

import io.kdflow.core.pt.PtInput;
import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.kafka.broker.FreePort;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The part of the pipeline a load test drives ({@code kdflow soak}, tools/soak.sh): the embedded broker and a
 * chosen subset of the services, started as {@code ./kdflow run} starts them ({@link LocalCluster},
 * {@link ServiceConfig}), with their process ids for memory sampling, and the job submission of
 * {@code ./kdflow run}. {@link #close()} stops them all.
 */
public final class SoakCluster implements AutoCloseable {

    private final LocalCluster cluster;
    private final ServiceConfig config;
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();

    private SoakCluster(LocalCluster cluster, ServiceConfig config) {
        this.cluster = cluster;
        this.config = config;
    }

    /**
     * Starts the broker (data under {@code <runDir>/kafka}, logs under {@code <runDir>/logs}) and {@code names}
     * (a subset of {@link ServiceConfig#SERVICES}, in that order), each with {@code threads} libtorch threads;
     * returns once every service is ready.
     */
    public static SoakCluster start(Path home, Path runDir, List<String> names, int threads, Consumer<String> say)
            throws InterruptedException {
        for (String name : names) {
            if (!ServiceConfig.SERVICES.contains(name)) {
                throw new IllegalArgumentException("unknown service " + name + ", expected one of "
                        + ServiceConfig.SERVICES);
            }
        }
        LocalCluster cluster = LocalCluster.startBroker(home, runDir);
        SoakCluster soak = new SoakCluster(cluster, new ServiceConfig(cluster.bootstrapServers(), runDir, threads));
        try {
            int[] ports = FreePort.resolveAll(new int[ServiceConfig.SERVICES.size()]);
            for (int i = 0; i < ports.length; i++) {
                String name = ServiceConfig.SERVICES.get(i);
                if (names.contains(name)) {
                    ServiceProcess service = ServiceProcess.start(home, name, ports[i], soak.config.properties(name),
                            cluster.logDir());
                    cluster.add(service);
                    soak.services.put(name, service);
                }
            }
            for (ServiceProcess service : soak.services.values()) {
                service.awaitReady();
                say.accept(service.name() + " ready (pid " + service.handle().pid() + ", log " + service.log() + ")");
            }
            return soak;
        } catch (RuntimeException | InterruptedException e) {
            soak.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** Process id of a started service. */
    public long pid(String service) {
        ServiceProcess process = services.get(service);
        if (process == null) {
            throw new IllegalArgumentException(service + " was not started here; started: " + services.keySet());
        }
        return process.handle().pid();
    }

    /** A service's own state directory ({@code <runDir>/trainer-data} for student-trainer). */
    public Path dataDir(String service) {
        return config.dataDir(service);
    }

    /** The first started service that exited or reports DOWN, with the end of its log. */
    public Optional<String> failedService() {
        return cluster.failedService();
    }

    /**
     * Creates the topics ({@link JobSubmission#PARTITIONS} partitions each), publishes the job's spec and then its
     * inputs, as {@code ./kdflow run} does.
     */
    public void submit(JobSpec spec, String jobId, long seed, List<PtInput> inputs) {
        try (JobSubmission submission = new JobSubmission(bootstrapServers(), Clock.systemUTC())) {
            submission.createTopics(Topics.all());
            submission.publishJob(spec);
            submission.publishInputs(jobId, seed, inputs);
        }
    }

    @Override
    public void close() {
        cluster.close();
    }
}
