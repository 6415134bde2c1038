package io.kdflow.trainer.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The trainer's Prometheus gauges, per job:
 * <ul>
 *   <li>{@code kdflow.trainer.step{job, phase}}: optimizer steps of the phase training now (counted from its
 *       schedule's start);</li>
 *   <li>{@code kdflow.trainer.train.loss{job, phase}}: the last step's loss;</li>
 *   <li>{@code kdflow.trainer.tokens.per.second{job, phase}}: target tokens per second of the last step;</li>
 *   <li>{@code kdflow.trainer.data.wait.seconds{job}}: seconds KD has waited for PT records;</li>
 *   <li>{@code kdflow.trainer.phase{job, phase}}: 1 for the phase training now, 0 for the others seen (all 0 once the
 *       job is done).</li>
 * </ul>
 * and the counters of the reliability contract (this process's counts; the job's totals across restarts are in its
 * final STUDENT checkpoint event):
 * <ul>
 *   <li>{@code kdflow.trainer.pt.records.duplicate{job}}: PT copies received and dropped (already stored);</li>
 *   <li>{@code kdflow.trainer.student.scores.duplicate{job}}: remote Joint-Teaching score copies dropped;</li>
 *   <li>{@code kdflow.trainer.resumes{job}}: runs resumed after a restart.</li>
 * </ul>
 */
public final class TrainerGauges {

    public static final String STEP = "kdflow.trainer.step";
    public static final String TRAIN_LOSS = "kdflow.trainer.train.loss";
    public static final String LOSS_TERM = "kdflow.trainer.loss.term";
    public static final String TOKENS_PER_SECOND = "kdflow.trainer.tokens.per.second";
    public static final String DATA_WAIT = "kdflow.trainer.data.wait.seconds";
    public static final String PHASE = "kdflow.trainer.phase";
    public static final String STALENESS = "kdflow.trainer.joint.teaching.staleness.steps";
    public static final String SCORE_WAIT = "kdflow.trainer.joint.teaching.score.wait.seconds";
    public static final String PT_RECORDS_DUPLICATE = "kdflow.trainer.pt.records.duplicate";
    public static final String STUDENT_SCORES_DUPLICATE = "kdflow.trainer.student.scores.duplicate";
    public static final String RESUMES = "kdflow.trainer.resumes";

    private final MeterRegistry registry;
    /** Strong references: Micrometer holds gauge state weakly. */
    private final Map<List<String>, Value> values = new ConcurrentHashMap<>();

    public TrainerGauges(MeterRegistry registry) {
        this.registry = registry;
    }

    /** After an optimizer step of {@code phase}. */
    public void step(String job, String phase, long steps, double loss, double tokensPerSecond) {
        set(List.of(STEP, job, phase), steps, "job", job, "phase", phase);
        set(List.of(TRAIN_LOSS, job, phase), loss, "job", job, "phase", phase);
        set(List.of(TOKENS_PER_SECOND, job, phase), tokensPerSecond, "job", job, "phase", phase);
    }

    /**
     * The loss of the last step of one kind: Joint-Teaching's KD alternates steps on the teacher's targets
     * ({@code teacher_targets}) with steps on the student's own samples ({@code student_samples}); other phases
     * have one term ({@code targets}).
     */
    public void lossTerm(String job, String phase, String term, double loss) {
        set(List.of(LOSS_TERM, job, phase, term), loss, "job", job, "phase", phase, "term", term);
    }

    public void dataWait(String job, double seconds) {
        set(List.of(DATA_WAIT, job), seconds, "job", job);
    }

    /** After a remote Joint-Teaching round trip: the scores' staleness in optimizer steps and the wait for them. */
    public void scores(String job, long stalenessSteps, double waitSeconds) {
        set(List.of(STALENESS, job), stalenessSteps, "job", job);
        set(List.of(SCORE_WAIT, job), waitSeconds, "job", job);
    }

    /** Registers {@code job}'s counters at 0, so that they are exported before their first increment. */
    public void registerCounters(String job) {
        for (String name : List.of(PT_RECORDS_DUPLICATE, STUDENT_SCORES_DUPLICATE, RESUMES)) {
            registry.counter(name, "job", job);
        }
    }

    /** A PT record of {@code job} arrived again and was dropped. */
    public void ptDuplicate(String job) {
        registry.counter(PT_RECORDS_DUPLICATE, "job", job).increment();
    }

    /** Remote Joint-Teaching score copies of {@code job} dropped. */
    public void scoresDuplicate(String job, long copies) {
        registry.counter(STUDENT_SCORES_DUPLICATE, "job", job).increment(copies);
    }

    /** {@code job}'s run resumed after a restart. */
    public void resumed(String job) {
        registry.counter(RESUMES, "job", job).increment();
    }

    /** Marks {@code phase} as the one training now (the job's other phases drop to 0). */
    public void phase(String job, String phase) {
        finished(job);
        set(List.of(PHASE, job, phase), 1, "job", job, "phase", phase);
    }

    /** The job finished: none of its phases trains any more (a stall alert must not see it as active). */
    public void finished(String job) {
        values.forEach((key, value) -> {
            if (key.get(0).equals(PHASE) && key.get(1).equals(job)) {
                value.value = 0;
            }
        });
    }

    private void set(List<String> key, double value, String... tags) {
        values.computeIfAbsent(key, k -> {
            Value holder = new Value();
            Gauge.builder(k.get(0), holder, Value::get).tags(tags).register(registry);
            return holder;
        }).value = value;
    }

    /** A gauge's current value. */
    private static final class Value {
        private volatile double value = Double.NaN;

        double get() {
            return value;
        }
    }
}
