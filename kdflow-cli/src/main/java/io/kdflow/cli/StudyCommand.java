package io.kdflow.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.kdflow.cli.options.ThreadsOption;
import io.kdflow.core.engine.EngineSetup;
import io.kdflow.core.local.LocalOptions;
import io.kdflow.core.local.Role;
import io.kdflow.core.study.LocalStudyExecutor;
import io.kdflow.core.study.OptionResult;
import io.kdflow.core.study.PlannedRun;
import io.kdflow.core.study.RunStore;
import io.kdflow.core.study.Stage;
import io.kdflow.core.study.StageOption;
import io.kdflow.core.study.StageResult;
import io.kdflow.core.study.Study;
import io.kdflow.core.study.StudyCompute;
import io.kdflow.core.study.StudyMarkdown;
import io.kdflow.core.study.StudyProfile;
import io.kdflow.core.study.StudyProgress;
import io.kdflow.core.study.StudyTask;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kdflow study --task TASK.yaml --profile quick|paper [--stages S1..S8]}: the paper's stages on one task
 * (kd-core's {@link Study}), every run a {@code distill --local} job keyed by its hash under
 * {@code studies/<task>/runs/} (reused when finished, resumed when interrupted), then
 * {@code studies/<task>/<date>/}: {@code report.md}, {@code study.json}, {@code plots/} and {@code jobs/}.
 */
@Command(name = "study", mixinStandardHelpOptions = true,
        description = "Run the paper's eight stages (S1 architecture ... S8 Joint-Teaching) on a task, each stage's"
                + " chosen option carried into the next, and write studies/<task>/<date>/ (tables, plots, job"
                + " specs). Finished runs are reused; rerunning resumes.")
final class StudyCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--task", required = true, paramLabel = "FILE",
            description = "The task file: a job file's task, teacher and evaluation, plus a 'study' section (docs/study.md).")
    Path task;

    @Option(names = "--profile", defaultValue = "quick", paramLabel = "NAME",
            description = "quick (sized for a 2-core machine) or paper (the paper's settings); default ${DEFAULT-VALUE}.")
    String profile;

    @Option(names = "--stages", defaultValue = "S1..S8", paramLabel = "LIST",
            description = "Stages to run, e.g. S1..S8 or S3,S7,S8; the others carry the paper's choice (default ${DEFAULT-VALUE}).")
    String stages;

    @Option(names = "--set", paramLabel = "KEY.PATH=VALUE",
            description = "Override a job key in every run, after the profile, e.g. --set task.train_size=100 (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--out", defaultValue = "studies", paramLabel = "DIR",
            description = "Root of the studies (default: ${DEFAULT-VALUE}): runs in <DIR>/<task>/runs, reports in <DIR>/<task>/<date>.")
    Path studiesRoot;

    @Option(names = "--cache", defaultValue = ".kdflow", paramLabel = "DIR",
            description = "Cache of teachers, pseudo-targets and CE baselines shared with distill --local (default: ${DEFAULT-VALUE}).")
    Path cache;

    @Option(names = "--no-compute", description = "Skip the computational table (FLOPs, latency, throughput).")
    boolean noCompute;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long start = System.nanoTime();
        StudyTask studyTask = StudyTask.read(task);
        StudyProfile studyProfile = StudyProfile.named(profile).with(overrides());
        Set<Stage> selected = Stage.parse(stages);
        int taskThreads = studyTask.job().path("threads").asInt(0);
        int applied = threads.threads() != null ? threads.applyShared()
                : EngineSetup.shared(taskThreads > 0 ? taskThreads : null).apply();
        err.printf("study %s, profile %s, stages %s, on %d libtorch thread(s)%n", studyTask.name(),
                studyProfile.name(), Stage.format(selected), applied);
        err.flush();
        Path taskRoot = studiesRoot.resolve(studyTask.name());
        RunStore store = new RunStore(taskRoot.resolve("runs"));
        Study study = new Study(studyTask, studyProfile, store,
                new LocalStudyExecutor(LocalOptions.of(cache), new DistillProgress(err)), new Lines(err));
        List<StageResult> results = study.run(selected);

        String date = LocalDate.now(ZoneOffset.UTC).toString();
        Path reportDir = taskRoot.resolve(date);
        writeJobs(reportDir.resolve("jobs"), results);
        Map<Stage, String> plots = new EnumMap<>(Stage.class);
        for (StageResult stage : results) {
            StudyPlots.stage(reportDir.resolve("plots"), stage)
                    .ifPresent(p -> plots.put(stage.stage(), reportDir.relativize(p).toString().replace(java.io.File.separatorChar, '/')));
        }
        Map<String, Map<String, Double>> compute = noCompute ? Map.of() : compute(studyTask, results, err);
        double wall = (System.nanoTime() - start) / 1e9;
        StringBuilder command = new StringBuilder("./kdflow study --task " + task + " --profile " + studyProfile.name()
                + " --stages " + stages);
        overrides.forEach(o -> command.append(" --set ").append(o));
        String markdown = StudyMarkdown.write(results, new StudyMarkdown.Context(studyTask, studyProfile, date,
                command.toString(), plots, compute, wall));
        write(reportDir.resolve("report.md"), markdown);
        writeJson(reportDir.resolve("study.json"), results, compute, command.toString(), wall);
        out.printf("study report: %s (%d plots, job files in %s)%n", reportDir.resolve("report.md"), plots.size(),
                reportDir.resolve("jobs"));
        out.flush();
        return 0;
    }

    private List<StageOption.Override> overrides() {
        List<StageOption.Override> keys = new ArrayList<>();
        for (String override : overrides) {
            int equals = override.indexOf('=');
            if (equals < 1) {
                throw new UserError("--set " + override + ": expected KEY.PATH=VALUE, e.g. task.train_size=100");
            }
            keys.add(StageOption.key(override.substring(0, equals).strip(), override.substring(equals + 1)));
        }
        return keys;
    }

    /** The teacher and the students of S1 and S2 (the models the paper's computational table compares). */
    private static Map<String, Map<String, Double>> compute(StudyTask task, List<StageResult> results, PrintWriter err) {
        List<StudyCompute.Model> models = new ArrayList<>();
        for (StageResult stage : results) {
            if (models.isEmpty() && !stage.options().isEmpty()) {
                models.add(new StudyCompute.Model("teacher",
                        Path.of(stage.options().get(0).outcome().role(Role.TEACHER).dir())));
            }
            if (stage.stage() == Stage.S1 || stage.stage() == Stage.S2) {
                for (OptionResult o : stage.options()) {
                    models.add(new StudyCompute.Model(o.run().stage() + " " + o.run().option().label(),
                            Path.of(o.student().dir())));
                }
            }
        }
        if (models.isEmpty()) {
            return Map.of();
        }
        err.println("study: computational table of " + models.size() + " model(s) (FLOPs, throughput, latency)");
        err.flush();
        int source = task.job().path("task").path("max_source_tokens").asInt(64);
        int target = task.job().path("task").path("max_target_tokens").asInt(64);
        return StudyCompute.measure(models, StudyCompute.Settings.quick(source, target));
    }

    private static void writeJobs(Path dir, List<StageResult> results) {
        for (StageResult stage : results) {
            for (OptionResult o : stage.options()) {
                PlannedRun run = o.run();
                write(dir.resolve(StudyMarkdown.jobFileName(run)), "# " + run.label() + ", run key " + run.key()
                        + ", job hash " + run.hash() + "\n# relative paths resolve against the task file's folder\n"
                        + run.yaml());
            }
        }
    }

    private static void writeJson(Path file, List<StageResult> results, Map<String, Map<String, Double>> compute,
            String command, double wall) {
        List<Map<String, Object>> stages = new ArrayList<>();
        for (StageResult stage : results) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("stage", stage.stage().name());
            s.put("title", stage.stage().title());
            s.put("chosen", stage.chosen());
            s.put("not_run", stage.notRun().orElse(null));
            List<Map<String, Object>> options = new ArrayList<>();
            for (OptionResult o : stage.options()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("option", o.run().option().id());
                m.put("label", o.run().option().label());
                m.put("run_key", o.run().key());
                m.put("job_hash", o.run().hash());
                m.put("seed", o.run().spec().getTraining().getSeed());
                m.put("reused", o.reused());
                m.put("wall_seconds", o.wallSeconds());
                m.put("dev", o.dev());
                m.put("test", o.test());
                m.put("dev_gap_closed", o.devGap().isPresent() ? o.devGap().getAsDouble() : null);
                m.put("test_gap_closed", o.testGap().isPresent() ? o.testGap().getAsDouble() : null);
                m.put("dev_wins", o.devWins());
                m.put("test_wins", o.testWins());
                Map<String, Object> roles = new LinkedHashMap<>();
                o.outcome().roles().forEach((role, scores) -> roles.put(role.name().toLowerCase(Locale.ROOT),
                        Map.of("dev", scores.dev(), "test", scores.test())));
                m.put("roles", roles);
                options.add(m);
            }
            s.put("options", options);
            stages.add(s);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("command", command);
        root.put("wall_seconds", wall);
        root.put("stages", stages);
        root.put("compute", compute);
        try {
            Files.createDirectories(file.getParent());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The study's own progress lines: one per run with the study's rate and ETA, one per stage with its choice. */
    private record Lines(PrintWriter err) implements StudyProgress {
        @Override
        public void onRun(PlannedRun run, int index, int total, boolean reused, double secondsPerRun,
                double etaSeconds) {
            err.printf(Locale.ROOT, "study: run %d/%d %s (key %s) %s; %s a run, ETA %s%n", index, total, run.label(),
                    run.key(), reused ? "finished before, reused" : "starting",
                    Double.isNaN(secondsPerRun) ? "?" : DistillProgress.eta(secondsPerRun),
                    DistillProgress.eta(etaSeconds));
            err.flush();
        }

        @Override
        public void onStage(StageResult result) {
            err.printf("study: %s %s done, chosen on dev: %s%n", result.stage(), result.stage().title(), result.chosen());
            err.flush();
        }
    }
}
