package io.kdflow.core.teacher;

import io.kdflow.core.engine.EngineSetup;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Trains the Shakespeare teacher outside the test suite (a long run, not a test):
 * {@code java -cp ... io.kdflow.core.teacher.TeacherExperiment DATA_DIR WORK_DIR [key=value ...]}, the
 * options overriding {@link TeacherRecipe#shakespeare()} by their canonical names, plus {@code threads=N} and
 * {@code pretrained=DIR} (fine-tune that directory instead of training from scratch). Logs go to stdout.
 */
public final class TeacherExperiment {

    private TeacherExperiment() {}

    public static void main(String[] args) {
        Path data = Path.of(args[0]);
        Path work = Path.of(args[1]);
        Map<String, String> overrides = new LinkedHashMap<>();
        int threads = 2;
        Path pretrained = null;
        for (int i = 2; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            if (kv[0].equals("pretrained")) {
                pretrained = Path.of(kv[1]);
            } else if (kv[0].equals("threads")) {
                threads = Integer.parseInt(kv[1]);
            } else {
                overrides.put(kv[0], kv[1]);
            }
        }
        EngineSetup.shared(threads).apply();
        TeacherRecipe recipe = TeacherRecipe.withOverrides(TeacherRecipe.shakespeare(), overrides);
        System.out.println("recipe " + recipe.canonical());
        TeacherData teacherData = TeacherData.read(data.resolve("train.jsonl"), data.resolve("dev.jsonl"),
                Optional.of(data.resolve("unlabeled.jsonl")));
        TeacherProgress progress = consoleProgress(System.nanoTime());
        TeacherTrainer trainer = new TeacherTrainer(recipe, progress);
        Path output = work.resolve("teacher");
        TeacherResult result = pretrained == null ? trainer.trainFromScratch(teacherData, work, output)
                : trainer.fineTunePretrained(pretrained, teacherData, work, output);
        System.out.println("result " + result);
        System.out.println("sensitivity " + result.sensitivity().summary());
    }

    /** Progress lines on stdout with the wall time since {@code start} (System.nanoTime()). */
    static TeacherProgress consoleProgress(long start) {
        return new TeacherProgress() {
            @Override
            public void onStep(Step s) {
                if (s.step() % 10 == 0 || s.step() == s.totalSteps()) {
                    System.out.printf(Locale.ROOT, "%s step %d/%d loss %.4f rate %.2f step/s eta %.0fs wall %.0fs%n",
                            s.phase(), s.step(), s.totalSteps(), s.loss(), s.stepsPerSecond(), s.etaSeconds(),
                            (System.nanoTime() - start) / 1e9);
                }
            }

            @Override
            public void onEvaluation(int epoch, Map<String, Double> metrics, boolean best) {
                System.out.printf(Locale.ROOT, "dev epoch %d bleu %.2f rouge %.2f nll %.3f%s wall %.0fs%n", epoch,
                        metrics.get("bleu"), metrics.get("rouge"), metrics.get("nll"), best ? " (best)" : "",
                        (System.nanoTime() - start) / 1e9);
            }

            @Override
            public void onNote(String message) {
                System.out.println(message);
            }
        };
    }
}
