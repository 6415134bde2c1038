package io.kdflow.core.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kdflow.core.study.StageOption.Override;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The paper's stages run greedily on one task: each selected stage's options become jobs
 * ({@link StudyPlanner}), each job runs once ({@link RunStore}: a finished run is reused, an interrupted one
 * resumes), the stage is scored ({@link StageScores}) and its option with the best dev score carries into the
 * next stages. A stage that is not selected carries the paper's choice ({@link StudyProfile#PAPER_CHOICE}).
 * <p>Choice on dev: S3 to S8 by the mean gap closed (the paper's headline score); S1 and S2, whose students
 * are not distilled, by the selection metric of the job (BLEU in both profiles).
 */
public final class Study {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String WALL = "study-wall.json";

    private final StudyTask task;
    private final StudyProfile profile;
    private final StudyPlanner planner;
    private final RunStore store;
    private final StudyExecutor executor;
    private final StudyProgress progress;

    public Study(StudyTask task, StudyProfile profile, RunStore store, StudyExecutor executor, StudyProgress progress) {
        this.task = task;
        this.profile = profile;
        this.planner = new StudyPlanner(task, profile);
        this.store = store;
        this.executor = executor;
        this.progress = progress;
    }

    /** Runs the selected stages in order; every stage is in the result, the unselected ones with a reason. */
    public List<StageResult> run(Set<Stage> selected) {
        int total = selected.stream().mapToInt(s -> profile.options(s, task).size()).sum();
        int index = 0;
        List<Override> carried = new ArrayList<>();
        List<StageResult> results = new ArrayList<>();
        Timing timing = new Timing();
        for (Stage stage : Stage.values()) {
            List<StageOption> options = profile.options(stage, task);
            Optional<String> notRun = !selected.contains(stage) ? Optional.of("not selected (--stages)")
                    : profile.notRunnable(stage, task);
            if (notRun.isPresent()) {
                String chosen = StudyProfile.PAPER_CHOICE.get(stage);
                options.stream().filter(o -> o.id().equals(chosen)).findFirst()
                        .ifPresent(o -> carried.addAll(o.carried()));
                results.add(new StageResult(stage, List.of(), chosen, notRun));
                continue;
            }
            List<PlannedRun> runs = options.stream().map(o -> planner.plan(stage, o, carried)).toList();
            List<RunOutcome> outcomes = new ArrayList<>();
            List<Boolean> reused = new ArrayList<>();
            List<Double> walls = new ArrayList<>();
            for (PlannedRun run : runs) {
                index++;
                Optional<RunOutcome> before = store.finished(run);
                progress.onRun(run, index, total, before.isPresent(), timing.mean(), timing.eta(total - index + 1));
                if (before.isEmpty()) {
                    store.writeJob(run, "# " + run.label() + " of the " + profile.name() + " study of " + task.file()
                            + " (relative paths resolve against that file's folder)\n");
                    long start = System.nanoTime();
                    executor.run(run, store.dir(run));
                    double seconds = (System.nanoTime() - start) / 1e9;
                    timing.add(seconds);
                    writeWall(run, seconds);
                }
                RunOutcome outcome = store.finished(run).orElseThrow(() -> new IllegalStateException(
                        run.label() + " finished without " + store.dir(run).resolve(RunStore.RESULTS)));
                outcomes.add(outcome);
                reused.add(before.isPresent());
                walls.add(readWall(run).orElse(outcome.seconds()));
            }
            StageResult result = score(stage, runs, outcomes, reused, walls);
            result.option(result.chosen()).ifPresent(o -> carried.addAll(o.run().option().carried()));
            results.add(result);
            progress.onStage(result);
        }
        return results;
    }

    /** Scores a stage's finished runs and picks its option (public for the report of a partial study). */
    static StageResult score(Stage stage, List<PlannedRun> runs, List<RunOutcome> outcomes, List<Boolean> reused,
            List<Double> walls) {
        List<Map<String, Double>> dev = new ArrayList<>();
        List<Map<String, Double>> test = new ArrayList<>();
        for (RunOutcome outcome : outcomes) {
            RunOutcome.Scores student = outcome.role(OptionResult.studentRole(stage));
            dev.add(student.dev());
            test.add(student.test());
        }
        int[] devWins = StageScores.wins(dev, StageScores.METRICS);
        int[] testWins = StageScores.wins(test, StageScores.METRICS);
        List<OptionResult> options = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            RunOutcome o = outcomes.get(i);
            OptionalDouble devGap = OptionalDouble.empty();
            OptionalDouble testGap = OptionalDouble.empty();
            if (stage.distills()) {
                devGap = gap(o, true);
                testGap = gap(o, false);
            }
            options.add(new OptionResult(runs.get(i), o, reused.get(i), walls.get(i), devGap, testGap, devWins[i],
                    testWins[i]));
        }
        return new StageResult(stage, options, choose(stage, options), Optional.empty());
    }

    private static OptionalDouble gap(RunOutcome outcome, boolean dev) {
        RunOutcome.Scores kd = outcome.role(io.kdflow.core.local.Role.KD_STUDENT);
        RunOutcome.Scores ce = outcome.role(io.kdflow.core.local.Role.CE_BASELINE);
        RunOutcome.Scores teacher = outcome.role(io.kdflow.core.local.Role.TEACHER);
        return dev ? StageScores.meanGapClosed(kd.dev(), ce.dev(), teacher.dev(), StageScores.METRICS)
                : StageScores.meanGapClosed(kd.test(), ce.test(), teacher.test(), StageScores.METRICS);
    }

    /** The first choosable option with the best dev score (ties keep the paper's order). */
    static String choose(Stage stage, List<OptionResult> options) {
        Comparator<OptionResult> byDev = stage.distills()
                ? Comparator.comparingDouble(o -> o.devGap().orElse(Double.NEGATIVE_INFINITY))
                : Comparator.comparingDouble(o -> o.dev().getOrDefault(
                        io.kdflow.core.eval.MetricNames.BLEU, Double.NEGATIVE_INFINITY));
        OptionResult best = null;
        for (OptionResult option : options) {
            if (option.run().option().choosable() && (best == null || byDev.compare(option, best) > 0)) {
                best = option;
            }
        }
        if (best == null) {
            throw new IllegalStateException(stage + " has no option to choose");
        }
        return best.run().option().id();
    }

    private void writeWall(PlannedRun run, double seconds) {
        Path file = store.dir(run).resolve(WALL);
        try {
            JSON.writeValue(file.toFile(), Map.of("wall_seconds", seconds, "seed",
                    run.spec().getTraining().getSeed()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private Optional<Double> readWall(PlannedRun run) {
        Path file = store.dir(run).resolve(WALL);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            return root.hasNonNull("wall_seconds") ? Optional.of(root.get("wall_seconds").asDouble()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // a torn file: the run's own phase times stand in
        }
    }

    /** Mean wall time of the runs executed in this process, for the progress line's ETA. */
    private static final class Timing {
        private double sum;
        private int count;

        void add(double seconds) {
            sum += seconds;
            count++;
        }

        double mean() {
            return count == 0 ? Double.NaN : sum / count;
        }

        double eta(int left) {
            return mean() * left;
        }
    }
}
