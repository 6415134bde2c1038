package io.kdflow.cli;

import io.kdflow.cli.options.ThreadsOption;
import io.kdflow.core.engine.EngineSetup;
import io.kdflow.core.job.JobFile;
import io.kdflow.core.local.JobTeacher;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.teacher.TeacherCache;
import io.kdflow.core.teacher.TeacherData;
import io.kdflow.core.teacher.TeacherProgress;
import io.kdflow.core.teacher.TeacherRecipe;
import io.kdflow.core.teacher.TeacherTrainer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kdflow teacher ...}: teachers trained here. */
@Command(
        name = "teacher",
        mixinStandardHelpOptions = true,
        description = "Teachers trained here (no pretrained weights needed).",
        subcommands = {TeacherCommand.Train.class})
final class TeacherCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Train a BART teacher from scratch (tokenizer, denoising pre-training, fine-tuning with"
                    + " best-dev selection) or fine-tune a pretrained one, cached under a key of recipe, data and"
                    + " seed; checks that the teacher uses its input.")
    static final class Train implements Callable<Integer> {

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--job", paramLabel = "FILE", description = "A job file whose teacher section is the recipe"
                + " (e.g. jobs/shakespeare-teacher.yaml); the teacher is then also copied to <output>/<name>/teacher."
                + " --data and --pretrained come from the job; --set still overrides recipe settings.")
        Path job;

        @Option(names = "--data", defaultValue = "data/shakespeare",
                description = "Directory with train.jsonl, dev.jsonl and (optional) unlabeled.jsonl"
                        + " (default: ${DEFAULT-VALUE}).")
        Path data;

        @Option(names = "--cache", defaultValue = ".kdflow/teachers",
                description = "Teacher cache directory (default: ${DEFAULT-VALUE}).")
        Path cache;

        @Option(names = "--pretrained", description = "A pretrained HF encoder-decoder directory to fine-tune"
                + " instead of training from scratch.")
        Path pretrained;

        @Option(names = "--set", paramLabel = "KEY=VALUE",
                description = "Override a setting of the recipe (the Shakespeare recipe, or the job's with --job),"
                        + " e.g. --set fine_tune_epochs=4. batch_size, learning_rate, warmup_steps and weight_decay"
                        + " are the fine-tuning's; pretraining_batch_size, pretraining_learning_rate,"
                        + " pretraining_warmup_steps and pretraining_weight_decay the denoising pre-training's;"
                        + " min_frequency the tokenizer's.")
        List<String> settings = new ArrayList<>();

        @Option(names = "--commit", description = "Git commit of this code, recorded in teacher.json.")
        String commit;

        @Mixin
        ThreadsOption threads;

        @Override
        public Integer call() {
            if (job != null) {
                return callWithJob();
            }
            threads.applyShared();
            TeacherRecipe recipe = TeacherRecipe.withOverrides(TeacherRecipe.shakespeare(), overrides());
            Path train = data.resolve("train.jsonl");
            Path dev = data.resolve("dev.jsonl");
            Path unlabeledFile = data.resolve("unlabeled.jsonl");
            Optional<Path> unlabeled = unlabeledFile.toFile().isFile() ? Optional.of(unlabeledFile) : Optional.empty();
            List<Path> files = new ArrayList<>(List.of(train, dev));
            unlabeled.ifPresent(files::add);
            if (pretrained != null) {
                files.add(pretrained.resolve("model.safetensors"));
            }
            PrintWriter out = spec.commandLine().getOut();
            TeacherCache.Entry entry = new TeacherCache(cache).getOrTrain(recipe, files, Optional.ofNullable(commit),
                    (work, output) -> {
                        TeacherTrainer trainer = new TeacherTrainer(recipe, progress(out));
                        TeacherData teacherData = TeacherData.read(train, dev, unlabeled);
                        return pretrained == null ? trainer.trainFromScratch(teacherData, work, output)
                                : trainer.fineTunePretrained(pretrained, teacherData, work, output);
                    });
            out.printf("%s teacher %s%n%s%n", entry.reused() ? "reused" : "trained", entry.directory(),
                    entry.provenance().get("input_sensitivity"));
            return 0;
        }

        /** The teacher a job file describes, cached and published next to the job's other outputs. */
        private int callWithJob() {
            JobSpec jobSpec = JobFile.read(job);
            Map<String, String> overrides = overrides();
            PrintWriter out = spec.commandLine().getOut();
            int jobThreads = jobSpec.getThreads();
            if (threads.threads() != null) {
                threads.applyShared();
            } else {
                EngineSetup.shared(jobThreads > 0 ? jobThreads : null).apply();
            }
            Path published = JobTeacher.train(jobSpec, cache,
                    recipe -> TeacherRecipe.withOverrides(recipe, overrides), new DistillProgress(out),
                    Optional.ofNullable(commit));
            out.printf("teacher %s%n", published);
            out.flush();
            return 0;
        }

        private Map<String, String> overrides() {
            Map<String, String> overrides = new LinkedHashMap<>();
            for (String setting : settings) {
                int equals = setting.indexOf('=');
                if (equals < 1) {
                    throw new UserError("--set " + setting + ": expected KEY=VALUE, e.g. fine_tune_epochs=4");
                }
                overrides.put(setting.substring(0, equals).strip(), setting.substring(equals + 1).strip());
            }
            return overrides;
        }

        private static TeacherProgress progress(PrintWriter out) {
            return new TeacherProgress() {
                @Override
                public void onStep(Step s) {
                    if (s.step() % 10 == 0 || s.step() == s.totalSteps()) {
                        out.printf(Locale.ROOT, "%s %d/%d loss %.4f %.2f steps/s ETA %.0fs%n", s.phase(), s.step(),
                                s.totalSteps(), s.loss(), s.stepsPerSecond(), s.etaSeconds());
                        out.flush();
                    }
                }

                @Override
                public void onEvaluation(int epoch, Map<String, Double> metrics, boolean best) {
                    out.printf(Locale.ROOT, "dev after epoch %d: BLEU %.2f, ROUGE %.2f, NLL %.3f%s%n", epoch,
                            metrics.get("bleu"), metrics.get("rouge"), metrics.get("nll"), best ? " (best)" : "");
                    out.flush();
                }

                @Override
                public void onNote(String message) {
                    out.println(message);
                    out.flush();
                }
            };
        }
    }
}
