package io.kdflow.teacher.scoring;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.job.JobSettings;
import io.kdflow.core.model.ModelDirectory;
import io.kdflow.core.store.ModelStore;
import io.kdflow.core.train.objective.TeacherForcedSampleScorer;
import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.proto.Provenance;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.StudentSample;
import io.kdflow.core.wire.proto.StudentScores;
import io.kdflow.core.wire.proto.TeacherDistribution;
import io.kdflow.service.RejectedRecordException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Joint-Teaching's remote teacher: scores a batch of student samples with each job's teacher, teacher-forced on
 * the sample ({@link TeacherForcedSampleScorer}, the scoring of the GOLD records), top-k and quantization from the
 * job's {@code pseudo_targets}. Samples of one job are scored together, in chunks of {@code scoring.batch-size}.
 * A sample that cannot be scored (unknown job, teacher not ready, ids outside the vocabulary, longer than the job's
 * token limits) gets its reason instead of scores; the others are scored regardless. Runs on one thread.
 */
@ApplicationScoped
public class StudentScoring {

    /** One sample's result: its scores, or why it is rejected. */
    public record Outcome(StudentSample sample, StudentScores scores, BadInputException rejected) {

        public boolean scored() {
            return scores != null;
        }
    }

    private final ScoringConfig config;
    private final ScoringJobs jobs;
    private final Clock clock;
    private final String producer;
    private final LoadedTeachers teachers;

    public StudentScoring(ScoringConfig config, ScoringJobs jobs, Clock clock,
            @ConfigProperty(name = "quarkus.application.version") String version) {
        this.config = config;
        this.jobs = jobs;
        this.clock = clock;
        this.producer = "teacher-service/" + version;
        if (config.batchSize() < 1) {
            throw new IllegalArgumentException("scoring.batch-size must be >= 1, got " + config.batchSize());
        }
        this.teachers = new LoadedTeachers(new ModelStore(config.modelStore()), config.loadedTeachers());
    }

    /** One outcome per sample, in order. */
    public List<Outcome> score(List<StudentSample> samples) {
        Outcome[] outcomes = new Outcome[samples.size()];
        Map<String, ScoringJob> known = new HashMap<>();
        Map<String, BadInputException> unknown = new HashMap<>(); // one wait per job and batch
        Map<String, List<Integer>> byJob = new LinkedHashMap<>();
        for (int i = 0; i < samples.size(); i++) {
            StudentSample sample = samples.get(i);
            try {
                String jobId = sample.getHeader().getJobId();
                if (unknown.containsKey(jobId)) {
                    throw unknown.get(jobId);
                }
                ScoringJob job = known.get(jobId);
                if (job == null) {
                    try {
                        job = jobs.await(jobId, config.jobWait());
                    } catch (BadInputException e) {
                        unknown.put(jobId, e);
                        throw e;
                    }
                    known.put(jobId, job);
                }
                check(sample, job, teachers.get(job.teacher()));
                byJob.computeIfAbsent(jobId, id -> new ArrayList<>()).add(i);
            } catch (BadInputException e) {
                outcomes[i] = new Outcome(sample, null, e);
            }
        }
        for (Map.Entry<String, List<Integer>> job : byJob.entrySet()) {
            List<Integer> rows = job.getValue();
            for (int from = 0; from < rows.size(); from += config.batchSize()) {
                score(samples, rows.subList(from, Math.min(rows.size(), from + config.batchSize())),
                        known.get(job.getKey()), outcomes);
            }
        }
        return List.of(outcomes);
    }

    private void score(List<StudentSample> samples, List<Integer> rows, ScoringJob job, Outcome[] outcomes) {
        ModelDirectory teacher = teachers.get(job.teacher());
        TeacherForcedSampleScorer scorer = new TeacherForcedSampleScorer(teacher.model(), teacher.generationConfig(),
                job.settings().sampling().distributionTopK(), job.settings().sampling().quantization());
        long[][] sources = new long[rows.size()][];
        long[][] tokens = new long[rows.size()][];
        for (int r = 0; r < rows.size(); r++) {
            StudentSample sample = samples.get(rows.get(r));
            sources[r] = sample.getSourceTokenIdsList().stream().mapToLong(Integer::longValue).toArray();
            tokens[r] = sample.getTokenIdsList().stream().mapToLong(Integer::longValue).toArray();
        }
        List<TeacherDistribution> distributions = scorer.distributions(sources, tokens); // checked above
        for (int r = 0; r < rows.size(); r++) {
            StudentSample sample = samples.get(rows.get(r));
            outcomes[rows.get(r)] = new Outcome(sample, scores(sample, job, distributions.get(r)), null);
        }
    }

    /** Rejects what the teacher cannot score or the job does not allow, naming the field. */
    private static void check(StudentSample sample, ScoringJob job, ModelDirectory teacher) {
        JobSettings settings = job.settings();
        int vocab = teacher.model().config().vocabSize();
        int topK = settings.sampling().distributionTopK();
        if (topK > vocab) {
            throw new RejectedRecordException("job '" + settings.jobId() + "': pseudo_targets.distribution_top_k "
                    + topK + " exceeds the teacher's vocabulary (" + vocab + " tokens)");
        }
        int maxSource = settings.training().maxSourceTokens();
        int maxTarget = settings.training().maxTargetTokens();
        if (sample.getSourceTokenIdsCount() > maxSource) {
            throw new RejectedRecordException("StudentSample.source_token_ids: " + sample.getSourceTokenIdsCount()
                    + " tokens exceed the job's training.max_source_tokens (" + maxSource + ")");
        }
        if (sample.getTokenIdsCount() < 1 || sample.getTokenIdsCount() > maxTarget) {
            throw new RejectedRecordException("StudentSample.token_ids: " + sample.getTokenIdsCount() + " tokens;"
                    + " the job allows 1 to training.max_target_tokens (" + maxTarget + ")");
        }
        checkIds("source_token_ids", sample.getSourceTokenIdsList(), vocab);
        checkIds("token_ids", sample.getTokenIdsList(), vocab);
    }

    private static void checkIds(String field, List<Integer> ids, int vocab) {
        for (int p = 0; p < ids.size(); p++) {
            int id = ids.get(p);
            if (id < 0 || id >= vocab) {
                throw new RejectedRecordException("StudentSample." + field + "[" + p + "]: token " + id
                        + " outside the teacher vocabulary [0, " + vocab + ")");
            }
        }
    }

    private StudentScores scores(StudentSample sample, ScoringJob job, TeacherDistribution distribution) {
        return StudentScores.newBuilder()
                .setHeader(RecordHeader.newBuilder()
                        .setSchemaVersion(Wire.SCHEMA_VERSION)
                        .setJobId(sample.getHeader().getJobId())
                        .setProvenance(Provenance.newBuilder().setProducer(producer)
                                .setModelRevision(job.teacher().getSha256().isEmpty() ? job.teacher().getUri()
                                        : job.teacher().getSha256()))
                        .setCreatedUnixMs(clock.millis()))
                .setRequestId(sample.getRequestId())
                .setExampleId(sample.getExampleId())
                .setStudentStep(sample.getStudentStep())
                .setDistribution(distribution)
                .build();
    }

    @PreDestroy
    void close() {
        teachers.close();
    }
}
