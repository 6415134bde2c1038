package io.kdflow.evaluator.evaluation;

import io.kdflow.core.decoding.PromptTemplate;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.eval.EvaluationSettings;
import io.kdflow.core.eval.MetricNames;
import io.kdflow.core.store.ModelStore;
import io.kdflow.core.wire.RecordKeys;
import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.DecodingSettings;
import io.kdflow.core.wire.proto.EvalReport;
import io.kdflow.core.wire.proto.ModelRole;
import io.kdflow.core.wire.proto.Provenance;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.Split;
import io.kdflow.evaluator.config.EvaluationDefaultsOf;
import io.kdflow.evaluator.config.EvaluatorConfig;
import io.kdflow.evaluator.config.JobEvaluation;
import io.kdflow.evaluator.messaging.EvaluatorChannels;
import io.kdflow.evaluator.metrics.EvaluatorGauges;
import io.kdflow.evaluator.runpage.RunBoard;
import io.kdflow.evaluator.state.CheckpointId;
import io.kdflow.evaluator.state.JobSpecs;
import io.kdflow.evaluator.state.Leaderboard;
import io.kdflow.evaluator.state.PublishedReports;
import io.kdflow.evaluator.state.ReportLog;
import io.kdflow.evaluator.state.ReportedCheckpoint;
import io.kdflow.service.KafkaClientConfig;
import io.kdflow.service.KafkaSends;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

/**
 * Evaluates checkpoints once each and publishes their reports: one {@code EvalReport} per split, the best
 * checkpoint per job and role marked, the gap closed added to students' reports, gauges updated, and the
 * checkpoint logged so that neither a redelivery nor a restart evaluates it again. One evaluation at a time.
 * Created at startup, so that the report log is read and the gauges restored before the first record.
 */
@Startup
@ApplicationScoped
public class EvaluationService {

    /** RecordGate outcomes. */
    public static final String REPORTED = "reported";
    public static final String DUPLICATE = "duplicate";
    public static final String TEACHER_KNOWN = "teacher_known";
    public static final String NOT_FINAL = "not_final";

    /** The split label of a trainer's own metrics in the gauges. */
    public static final String TRAINER_SPLIT = "trainer";

    private static final Logger LOG = Logger.getLogger(EvaluationService.class);
    /** The longest the start may take to read the reports topic to its end. */
    private static final Duration REPORTS_READ_TIMEOUT = Duration.ofMinutes(2);

    private final EvaluatorConfig config;
    private final Clock clock;
    private final String producer;
    private final String bootstrapServers;
    private final Emitter<byte[]> reports;
    private final JobSpecs jobs;
    private final EvaluatorGauges gauges;
    private final RunBoard board;
    private final Leaderboard leaderboard = new Leaderboard();
    private ModelStore store;
    private CheckpointEvaluator evaluator;
    private ReportLog log;
    private PublishedReports published;

    public EvaluationService(EvaluatorConfig config, Clock clock, JobSpecs jobs, EvaluatorGauges gauges, RunBoard board,
            @ConfigProperty(name = "quarkus.application.version") String version,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @Channel(EvaluatorChannels.EVAL_REPORTS) Emitter<byte[]> reports) {
        this.bootstrapServers = bootstrapServers;
        this.config = config;
        this.clock = clock;
        this.jobs = jobs;
        this.gauges = gauges;
        this.board = board;
        this.reports = reports;
        this.producer = "evaluator/" + version;
    }

    @PostConstruct
    void start() {
        store = new ModelStore(config.modelStore());
        evaluator = new CheckpointEvaluator(store);
        log = ReportLog.open(config.dataDir());
        // before any checkpoint is consumed (this bean is created at startup): what the broker already holds,
        // including reports whose log line a crash prevented
        Properties kafka = new Properties();
        kafka.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        kafka.putAll(KafkaClientConfig.security()); // SASL/TLS like the SmallRye channels
        published = PublishedReports.read(kafka, REPORTS_READ_TIMEOUT);
        for (ReportedCheckpoint checkpoint : log.entries()) {
            leaderboard.record(checkpoint);
            updateGauges(checkpoint);
        }
        LOG.infof("evaluator: %d checkpoints already reported (%s)", log.entries().size(), config.dataDir());
    }

    /** The sha256 identifying a checkpoint given only by URI (a JobSpec's teacher_uri). */
    public String contentSha256(String uri) {
        return evaluator.contentSha256(uri);
    }

    /**
     * The settings of {@code job}: its latest JobSpec over the config's defaults.
     *
     * @throws BadInputException naming the JobSpec field, value and what is allowed (the record is dead-lettered)
     */
    public EvaluationSettings settings(String job) {
        return JobEvaluation.resolve(jobs.get(job), EvaluationDefaultsOf.job(config, job), store);
    }

    /**
     * The prompt template a decoder-only checkpoint of {@code job} continues: its JobSpec's
     * {@code task_spec.prompt} (none without a spec).
     *
     * @throws BadInputException when the template has no {source}
     */
    public PromptTemplate prompt(String job) {
        return jobs.get(job).map(spec -> PromptTemplate.of(spec.getTaskSpec().getPrompt(),
                "JobSpec.task_spec.prompt")).orElse(PromptTemplate.NONE);
    }

    /**
     * Evaluates and reports {@code request} unless it was already reported (or, for a teacher, unless the job's
     * teacher was already evaluated).
     *
     * @return the outcome for the records counter
     * @throws BadInputException when the checkpoint or the job's data cannot be evaluated (dead-lettered by
     *     RecordGate); anything else is a bug and fails the channel
     */
    public synchronized String evaluate(CheckpointRequest request) {
        CheckpointId id = request.id();
        if (log.contains(id)) {
            return DUPLICATE;
        }
        if (id.role() == ModelRole.TEACHER && leaderboard.hasTeacher(id.job())) {
            LOG.infof("evaluator: job %s already has its teacher evaluated; ignoring teacher %s", id.job(), id);
            return TEACHER_KNOWN;
        }
        awaitSpec(id.job());
        EvaluationSettings settings = settings(id.job());
        Optional<ReportedCheckpoint> before = reportedBeforeRestart(request, settings);
        if (before.isPresent()) {
            log.append(before.get());
            leaderboard.record(before.get());
            updateGauges(before.get());
            LOG.infof("evaluator: %s was reported before a restart (its log line was lost); logged, not evaluated"
                    + " again", id);
            return DUPLICATE;
        }
        CheckpointResult result = evaluator.evaluate(request, settings,
                EvaluationDefaultsOf.compute(config.compute(), settings), prompt(id.job()));
        ReportedCheckpoint reported = publish(request, result);
        log.append(reported);
        leaderboard.record(reported);
        updateGauges(reported);
        LOG.infof("evaluator: reported %s (%s)", id, reported.splits().keySet());
        return REPORTED;
    }

    /**
     * A trainer's intermediate checkpoint ({@code final = false}): not evaluated (the trainer selected on dev
     * itself; the evaluator reports the final teacher, baseline and student), its own metrics exported as gauges
     * of split {@value #TRAINER_SPLIT}.
     */
    public String note(CheckpointEvent event) {
        String job = event.getHeader().getJobId();
        String role = Topics.keyName(event.getRole());
        event.getMetricsMap().forEach((name, value) -> gauges.metric(job, role, TRAINER_SPLIT, name, value));
        LOG.infof("evaluator: %s %s step %d (%s) is not final, not evaluated; its metrics %s", job, role,
                event.getStep(), event.getPhase(), event.getMetricsMap());
        return NOT_FINAL;
    }

    /** Waits (bounded) for the job's spec, so that its settings and data, not the defaults, evaluate it. */
    private void awaitSpec(String job) {
        try {
            if (jobs.await(job, config.jobSpecWait()).isEmpty()) {
                LOG.warnf("evaluator: no JobSpec of job %s after %s; evaluating with the configured defaults", job,
                        config.jobSpecWait());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the JobSpec of job " + job, e);
        }
    }

    /**
     * The checkpoint as reported, when every split it is evaluated on has its report on the topic but the log has
     * no line for it (a crash after the broker's acknowledgement): rebuilt from those reports, which carry the same
     * metrics, best flag and URI the log line would have.
     */
    private Optional<ReportedCheckpoint> reportedBeforeRestart(CheckpointRequest request,
            EvaluationSettings settings) {
        Set<Split> splits = settings.testData().isPresent() ? Set.of(Split.DEV, Split.TEST) : Set.of(Split.DEV);
        return published.reported(request.id(), splits, settings.selectionMetric());
    }

    private ReportedCheckpoint publish(CheckpointRequest request, CheckpointResult result) {
        CheckpointId id = request.id();
        String metric = result.settings().selectionMetric();
        Map<String, Map<String, Double>> splits = new LinkedHashMap<>();
        result.splits().forEach((split, scores) -> {
            Map<String, Double> metrics = new LinkedHashMap<>(scores.metrics());
            metrics.putAll(result.compute());
            splits.put(Topics.keyName(split), metrics);
        });
        boolean best = leaderboard.improves(id.job(), id.role(), id.step(), metric, splits.get(Leaderboard.DEV));
        if (id.role() == ModelRole.STUDENT) {
            Set<String> gapMetrics = new LinkedHashSet<>(MetricNames.GAP_METRICS);
            gapMetrics.add(metric);
            splits.forEach((split, metrics) -> metrics.putAll(leaderboard.gapClosed(id.job(), split, metrics, gapMetrics)));
        }
        List<EvalReport> records = new ArrayList<>();
        result.splits().forEach((split, scores) -> records.add(report(request, split, scores.numExamples(),
                splits.get(Topics.keyName(split)), best, result.decoding())));
        for (EvalReport record : records) {
            if (published.contains(id, record.getSplit())) {
                // acknowledged before a crash that came ahead of the log line: published once, not again
                LOG.infof("evaluator: %s %s was published before a restart; not published again", id,
                        Topics.keyName(record.getSplit()));
                continue;
            }
            // through a broker restart; a copy the producer gave up on is sent again only if the topic lacks it
            KafkaSends.sendUntilAcknowledged(reports, RecordKeys.keyOf(record), WireCodecs.EVAL_REPORT.encode(record),
                    config.sendTimeout(), config.publishRetryFor(),
                    published.onTopic(id, record.getSplit(), config.sendTimeout()));
            published.add(id, record);
        }
        return new ReportedCheckpoint(id.job(), id.role(), id.step(), id.sha256(), request.uri(), splits, best, metric);
    }

    private EvalReport report(CheckpointRequest request, Split split, int examples, Map<String, Double> metrics,
            boolean best, DecodingSettings decoding) {
        CheckpointId id = request.id();
        return EvalReport.newBuilder()
                .setHeader(RecordHeader.newBuilder()
                        .setSchemaVersion(Wire.SCHEMA_VERSION)
                        .setJobId(id.job())
                        .setProvenance(Provenance.newBuilder().setProducer(producer).setModelRevision(id.sha256())
                                .setDecoding(decoding))
                        .setCreatedUnixMs(clock.millis()))
                .setRole(id.role())
                .setStep(id.step())
                .setSplit(split)
                .setCheckpointUri(request.uri())
                .setCheckpointSha256(id.sha256())
                .putAllMetrics(metrics)
                .setNumExamples(examples)
                .setBestSoFar(best)
                .build();
    }

    private void updateGauges(ReportedCheckpoint checkpoint) {
        String role = Topics.keyName(checkpoint.role());
        checkpoint.splits().forEach((split, metrics) -> metrics.forEach(
                (name, value) -> gauges.metric(checkpoint.job(), role, split, name, value)));
        Optional<Leaderboard.Best> best = leaderboard.best(checkpoint.job(), checkpoint.role());
        best.ifPresent(b -> gauges.best(checkpoint.job(), role, b.metric(), b.value(), b.step()));
        board.reported(checkpoint, best); // the run page's leaderboard
    }
}
