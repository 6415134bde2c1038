package io.kdflow.core.teacher;

import io.kdflow.core.engine.EngineSetup;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An experiment outside the test suite: more denoising of a trained teacher on unlabeled lines it has not
 * seen, then more fine-tuning. {@code java -cp ... TeacherContinuation DATA_DIR TEACHER WORK FIRST COUNT
 * [key=value ...]} denoises on unlabeled lines FIRST..FIRST+COUNT, then fine-tunes with the recipe's epochs.
 */
public final class TeacherContinuation {

    private TeacherContinuation() {}

    public static void main(String[] args) {
        Path data = Path.of(args[0]);
        Path teacher = Path.of(args[1]);
        Path work = Path.of(args[2]);
        int first = Integer.parseInt(args[3]);
        int count = Integer.parseInt(args[4]);
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 5; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            overrides.put(kv[0], kv[1]);
        }
        EngineSetup.shared(2).apply();
        TeacherRecipe recipe = TeacherRecipe.withOverrides(TeacherRecipe.shakespeare(), overrides);
        System.out.println("recipe " + recipe.canonical());
        TeacherData teacherData = TeacherData.read(data.resolve("train.jsonl"), data.resolve("dev.jsonl"),
                Optional.of(data.resolve("unlabeled.jsonl")));
        List<String> texts = teacherData.unlabeled().subList(first, first + count);
        TeacherProgress progress = TeacherExperiment.consoleProgress(System.nanoTime());
        TeacherTrainer trainer = new TeacherTrainer(recipe, progress);
        Path denoised = work.resolve("denoised");
        trainer.denoise(teacher, texts, denoised);
        TeacherResult result = trainer.fineTunePretrained(denoised, teacherData, work, work.resolve("teacher"));
        System.out.println("result " + result);
    }
}
