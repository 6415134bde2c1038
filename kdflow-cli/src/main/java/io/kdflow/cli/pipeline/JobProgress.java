package io.kdflow.cli.pipeline;

import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.proto.DeadLetter;
import io.kdflow.core.wire.proto.EvalReport;
import io.kdflow.core.wire.proto.ModelRole;
import io.kdflow.core.wire.proto.PseudoTarget;
import io.kdflow.core.wire.proto.Split;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code ./kdflow run} knows of one job from the records it reads: PT records (each counted once, by
 * example, kind and index), the trainer's checkpoint events (its latest step, loss and dev metric; its dev curve),
 * the final checkpoints of teacher, CE baseline and student, their evaluation reports, and dead letters. The job
 * is done when the reports of the three final checkpoints on the {@code reportSplit} are in. Records of other jobs
 * are ignored. Not thread-safe.
 */
final class JobProgress {

    /** One dev evaluation of the trainer: its step, phase and own metrics ({@code train_loss}, {@code dev_bleu}). */
    record TrainerPoint(long step, int epoch, String phase, Map<String, Double> metrics) {}

    static final List<ModelRole> FINAL_ROLES = List.of(ModelRole.TEACHER, ModelRole.STUDENT_BASELINE, ModelRole.STUDENT);

    private final String jobId;
    private final long expectedPtRecords;
    private final Split reportSplit;
    private final Set<String> ptIds = new HashSet<>();
    private long ptDuplicates;
    private final List<TrainerPoint> trainer = new ArrayList<>();
    private final Map<ModelRole, CheckpointEvent> finals = new EnumMap<>(ModelRole.class);
    /** Per role, per split, the reports of the role's checkpoints (the final one's chosen in {@link #report}). */
    private final Map<ModelRole, List<EvalReport>> reports = new EnumMap<>(ModelRole.class);
    private final List<DeadLetter> deadLetters = new ArrayList<>();

    /**
     * @param expectedPtRecords GOLD records plus inputs x K
     * @param reportSplit the split whose reports end the job: TEST when the job has a test set, else DEV
     */
    JobProgress(String jobId, long expectedPtRecords, Split reportSplit) {
        this.jobId = jobId;
        this.expectedPtRecords = expectedPtRecords;
        this.reportSplit = reportSplit;
    }

    void accept(PseudoTarget record) {
        if (!ours(record.getHeader().getJobId())) {
            return;
        }
        String id = record.getExampleId() + "/" + record.getKind() + "/" + record.getPtIndex();
        if (!ptIds.add(id)) {
            ptDuplicates++;
        }
    }

    void accept(CheckpointEvent event) {
        if (!ours(event.getHeader().getJobId())) {
            return;
        }
        if (event.getFinal()) {
            finals.put(event.getRole(), event);
        } else if (event.getRole() == ModelRole.STUDENT) {
            trainer.add(new TrainerPoint(event.getStep(), event.getEpoch(), event.getPhase(), event.getMetricsMap()));
        }
    }

    void accept(EvalReport report) {
        if (ours(report.getHeader().getJobId())) {
            reports.computeIfAbsent(report.getRole(), role -> new ArrayList<>()).add(report);
        }
    }

    void accept(DeadLetter letter) {
        String job = letter.getHeader().getJobId();
        if (job.isEmpty() || ours(job)) {
            deadLetters.add(letter);
        }
    }

    /**
     * The first dead letter of this job's own JobSpec: a service rejected the job or its run failed, so it will not
     * finish and following it further only waits for the timeout.
     */
    Optional<DeadLetter> jobFailure() {
        return deadLetters.stream().filter(letter -> letter.getSourceTopic().equals(Topics.JOBS)
                && ours(letter.getHeader().getJobId())).findFirst();
    }

    private boolean ours(String job) {
        return job.equals(jobId);
    }

    String jobId() {
        return jobId;
    }

    long ptRecords() {
        return ptIds.size();
    }

    /** PT records received more than once (a redelivery); not counted in {@link #ptRecords}. */
    long ptDuplicates() {
        return ptDuplicates;
    }

    long expectedPtRecords() {
        return expectedPtRecords;
    }

    Split reportSplit() {
        return reportSplit;
    }

    /** The trainer's dev evaluations, in arrival order. */
    List<TrainerPoint> trainerPoints() {
        return List.copyOf(trainer);
    }

    Optional<TrainerPoint> latestTrainerPoint() {
        return trainer.isEmpty() ? Optional.empty() : Optional.of(trainer.get(trainer.size() - 1));
    }

    Optional<CheckpointEvent> finalCheckpoint(ModelRole role) {
        return Optional.ofNullable(finals.get(role));
    }

    /**
     * The report of the role's final checkpoint on {@code split}: the report of that checkpoint (same sha256) once
     * its final event is known; a teacher's report of any checkpoint (the job has one teacher). The latest wins
     * (a re-published report carries what the evaluator learnt since, e.g. the gap closed).
     */
    Optional<EvalReport> report(ModelRole role, Split split) {
        CheckpointEvent event = finals.get(role);
        if (event == null && role != ModelRole.TEACHER) {
            return Optional.empty();
        }
        EvalReport found = null;
        for (EvalReport report : reports.getOrDefault(role, List.of())) {
            if (report.getSplit() == split && (event == null || role == ModelRole.TEACHER
                    || report.getCheckpointSha256().equals(event.getSha256()))) {
                found = report;
            }
        }
        return Optional.ofNullable(found);
    }

    /** Reports of final checkpoints in, over all splits (for the progress line). */
    int finalReports() {
        int count = 0;
        for (ModelRole role : FINAL_ROLES) {
            for (Split split : List.of(Split.DEV, Split.TEST)) {
                count += report(role, split).isPresent() ? 1 : 0;
            }
        }
        return count;
    }

    /**
     * How many reports arrived per evaluated checkpoint and split ({@code <role>/<step>/<sha256>/<split>}, in
     * arrival order): the evaluator publishes each once, also across a restart.
     */
    Map<String, Integer> reportCounts() {
        Map<String, Integer> counts = new java.util.LinkedHashMap<>();
        reports.values().forEach(list -> list.forEach(report -> counts.merge(report.getRole().name().toLowerCase(
                java.util.Locale.ROOT) + "/" + report.getStep() + "/" + report.getCheckpointSha256() + "/"
                + report.getSplit().name().toLowerCase(java.util.Locale.ROOT), 1, Integer::sum)));
        return counts;
    }

    List<DeadLetter> deadLetters() {
        return List.copyOf(deadLetters);
    }

    /** Whether the teacher's, the baseline's and the final student's reports on the report split are in. */
    boolean done() {
        return FINAL_ROLES.stream().allMatch(role -> report(role, reportSplit).isPresent());
    }

    /**
     * The service whose log explains why the job is not done: no teacher-ready event yet (teacher-service), PTs
     * missing (pt-sampler), final student checkpoints missing (student-trainer), reports missing (evaluator).
     */
    String stalledService() {
        if (finals.get(ModelRole.TEACHER) == null && report(ModelRole.TEACHER, reportSplit).isEmpty()) {
            return "teacher-service";
        }
        if (ptRecords() < expectedPtRecords) {
            return "pt-sampler";
        }
        if (finals.get(ModelRole.STUDENT_BASELINE) == null || finals.get(ModelRole.STUDENT) == null) {
            return "student-trainer";
        }
        return "evaluator";
    }
}
