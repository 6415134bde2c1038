package io.kdflow.evaluator.runpage;

import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.ModelRole;
import io.kdflow.evaluator.state.Leaderboard;
import io.kdflow.evaluator.state.ReportedCheckpoint;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the run page shows of each job, kept in memory and bounded: the job's spec, per role its best reported
 * checkpoint (the evaluator's leaderboard), the trainer's own metrics of its intermediate checkpoints as series over
 * steps (e.g. {@code dev_bleu}, {@code train_loss}), and the trainer's counters from its final checkpoint events.
 *
 * <p>Fed by the evaluation service (reports, also those replayed from {@code reports.jsonl} at startup) and the
 * consumers (specs, checkpoint events); the series hold what this process consumed since it started (the events'
 * offsets are committed, so a restart does not see them again). Short synchronized methods: the HTTP event loop
 * reads a snapshot while a (long) evaluation runs elsewhere.
 */
@ApplicationScoped
public class RunBoard {

    /** Jobs kept; the least recently updated one is dropped beyond it. */
    static final int MAX_JOBS = 20;
    /** Series kept per job (role, phase and metric: the trainer reports ~17 per phase); later ones are not kept. */
    static final int MAX_SERIES = 40;
    /**
     * Points kept per series; beyond it every other point is dropped (the curve keeps its whole range). Worst case
     * 20 x 40 x 200 points, about 12 MB, and 160 kB of JSON per job.
     */
    static final int MAX_POINTS = 200;

    /** The leaderboard's roles, in the page's order. */
    static final List<ModelRole> ROLES = List.of(ModelRole.TEACHER, ModelRole.STUDENT_BASELINE, ModelRole.STUDENT);

    private final Clock clock;
    private final Map<String, JobView> jobs = new LinkedHashMap<>();

    public RunBoard(Clock clock) {
        this.clock = clock;
    }

    /** A job's spec arrived (validated). */
    public synchronized void job(JobSpec spec) {
        view(spec.getHeader().getJobId()).spec = spec;
    }

    /** A checkpoint event was handled ({@code outcome}: the records counter's). */
    public synchronized void checkpoint(CheckpointEvent event, String outcome) {
        JobView job = view(event.getHeader().getJobId());
        String role = Topics.keyName(event.getRole());
        job.events++;
        if (event.getFinal()) {
            if (event.getMetricsCount() > 0) { // a teacher-ready event carries none
                job.finalMetrics.put(role, new TreeMap<>(event.getMetricsMap()));
            }
            return;
        }
        job.phase = event.getPhase();
        event.getMetricsMap().forEach((metric, value) -> {
            SeriesKey key = new SeriesKey(role, event.getPhase(), metric);
            TreeMap<Long, Double> points = job.series.get(key);
            if (points == null) {
                if (job.series.size() >= MAX_SERIES) {
                    return;
                }
                points = new TreeMap<>();
                job.series.put(key, points);
            }
            points.put(event.getStep(), value); // a step re-published after a resume replaces its point
            if (points.size() > MAX_POINTS) {
                thin(points);
            }
        });
    }

    /** A checkpoint's reports were published (or replayed at startup); {@code best} is its role's best so far. */
    public synchronized void reported(ReportedCheckpoint checkpoint, Optional<Leaderboard.Best> best) {
        JobView job = view(checkpoint.job());
        RoleView role = job.roles.computeIfAbsent(checkpoint.role(), r -> new RoleView());
        role.checkpoints++;
        role.reports += checkpoint.splits().size();
        role.latestStep = checkpoint.step();
        role.selectionMetric = checkpoint.selectionMetric();
        best.ifPresent(b -> role.best = b);
    }

    /** The page's view of every job, most recently updated first. */
    public synchronized JsonArray snapshot() {
        List<Map.Entry<String, JobView>> ordered = new ArrayList<>(jobs.entrySet());
        ordered.sort(Comparator.comparingLong((Map.Entry<String, JobView> e) -> e.getValue().updatedMs).reversed());
        JsonArray out = new JsonArray();
        ordered.forEach(e -> out.add(e.getValue().json(e.getKey())));
        return out;
    }

    /** Reports published (or replayed) over all jobs: one per checkpoint and split. */
    public synchronized long reports() {
        return jobs.values().stream().flatMap(j -> j.roles.values().stream()).mapToLong(r -> r.reports).sum();
    }

    private JobView view(String id) {
        JobView job = jobs.remove(id); // re-inserted last: the map's order is the update order
        if (job == null) {
            job = new JobView();
            if (jobs.size() >= MAX_JOBS) {
                jobs.remove(jobs.keySet().iterator().next());
            }
        }
        jobs.put(id, job);
        job.updatedMs = clock.millis();
        return job;
    }

    /** Drops every other point, keeping the first and the last. */
    static void thin(TreeMap<Long, Double> points) {
        Long last = points.lastKey();
        int index = 0;
        for (var it = points.keySet().iterator(); it.hasNext(); index++) {
            Long step = it.next();
            if (index % 2 == 1 && !step.equals(last)) {
                it.remove();
            }
        }
    }

    private record SeriesKey(String role, String phase, String metric) {}

    private static final class RoleView {
        long checkpoints;
        long reports;
        long latestStep;
        String selectionMetric = "";
        Leaderboard.Best best;
    }

    private static final class JobView {
        JobSpec spec;
        long updatedMs;
        long events;
        String phase = "";
        final Map<ModelRole, RoleView> roles = new EnumMap<>(ModelRole.class);
        final Map<SeriesKey, TreeMap<Long, Double>> series = new LinkedHashMap<>();
        final Map<String, Map<String, Double>> finalMetrics = new TreeMap<>();

        JsonObject json(String id) {
            JsonObject job = new JsonObject().put("job", id).put("status", status()).put("phase", phase)
                    .put("checkpoint_events", events).put("updated_unix_ms", updatedMs);
            if (spec != null) {
                job.put("spec", new JsonObject().put("task", spec.getTask())
                        .put("teacher_uri", spec.getTeacherUri())
                        .put("student", spec.getStudent().getSource().name().toLowerCase(Locale.ROOT))
                        .put("pseudo_targets", spec.getPseudoTargets().getMode().name().toLowerCase(Locale.ROOT)
                                + (spec.getPseudoTargets().hasNumPseudoTargets()
                                        ? " x" + spec.getPseudoTargets().getNumPseudoTargets() : "")));
            }
            JsonArray leaderboard = new JsonArray();
            for (ModelRole role : ROLES) {
                RoleView view = roles.get(role);
                if (view != null) {
                    leaderboard.add(row(role, view));
                }
            }
            job.put("leaderboard", leaderboard);
            JsonArray curves = new JsonArray();
            series.forEach((key, points) -> {
                JsonArray xy = new JsonArray();
                points.forEach((step, value) -> xy.add(new JsonArray().add(step).add(finite(value))));
                curves.add(new JsonObject().put("role", key.role()).put("phase", key.phase())
                        .put("metric", key.metric()).put("points", xy));
            });
            job.put("curves", curves);
            JsonObject trainer = new JsonObject();
            finalMetrics.forEach((role, metrics) -> trainer.put(role, metrics(metrics)));
            job.put("final_event_metrics", trainer);
            return job;
        }

        /** done: the final student is reported; training: the trainer has published; else waiting. */
        private String status() {
            if (roles.containsKey(ModelRole.STUDENT)) {
                return "done";
            }
            return events > 0 ? "training" : "waiting";
        }

        private static JsonObject row(ModelRole role, RoleView view) {
            JsonObject row = new JsonObject().put("role", Topics.keyName(role)).put("checkpoints", view.checkpoints)
                    .put("reports", view.reports).put("latest_step", view.latestStep)
                    .put("selection_metric", view.selectionMetric);
            if (view.best != null) {
                row.put("best_step", view.best.step()).put("best_value", finite(view.best.value()));
                view.best.splits().forEach((split, metrics) -> row.put(split, metrics(metrics)));
            }
            return row;
        }

        private static JsonObject metrics(Map<String, Double> metrics) {
            JsonObject out = new JsonObject();
            new TreeMap<>(metrics).forEach((name, value) -> out.put(name, finite(value)));
            return out;
        }
    }

    /** JSON has no NaN or infinity: such a value is written as null. */
    private static Double finite(Double value) {
        return value == null || value.isNaN() || value.isInfinite() ? null : value;
    }
}
