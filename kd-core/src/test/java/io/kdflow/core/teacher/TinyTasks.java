package io.kdflow.core.teacher;

import io.kdflow.core.eval.EvalExample;
import io.kdflow.core.pretrain.DenoisingSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;

/** Tiny synthetic tasks and a tiny recipe, so a teacher trains in seconds on one thread. */
final class TinyTasks {

    private static final List<String> WORDS = List.of("red", "blue", "green", "cat", "dog", "bird", "runs", "sits",
            "sings", "big", "small", "old", "tree", "house", "river", "stone");

    private TinyTasks() {}

    /** {@code count} sentences of 2 to 4 words drawn with a fixed seed. */
    static List<String> sentences(int count, long seed) {
        Random random = new Random(seed);
        List<String> sentences = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int length = 2 + random.nextInt(3);
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < length; w++) {
                text.append(w == 0 ? "" : " ").append(WORDS.get(random.nextInt(WORDS.size())));
            }
            sentences.add(text.toString());
        }
        return sentences;
    }

    /** Pairs whose source is {@code sourceOf(target)}. */
    static List<EvalExample> pairs(String prefix, List<String> targets, UnaryOperator<String> sourceOf) {
        List<EvalExample> pairs = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            pairs.add(new EvalExample(prefix + i, sourceOf.apply(targets.get(i)), List.of(targets.get(i))));
        }
        return pairs;
    }

    /** The copy task: 400 training pairs and 40 dev pairs whose target is the source. */
    static TeacherData copyTask() {
        return new TeacherData(pairs("t", sentences(400, 1), text -> text), pairs("d", sentences(40, 2), text -> text),
                List.of());
    }

    /** The same targets with every source replaced by one constant string: only a language model can be learned. */
    static TeacherData constantSourceTask() {
        return new TeacherData(pairs("t", sentences(400, 1), text -> "nothing to see"),
                pairs("d", sentences(40, 2), text -> text), List.of());
    }

    /** d_model 64, 1+1 layers, no dropout; fine-tuning only, the last epoch kept, 10 dev examples. */
    static TeacherRecipe recipe(int fineTuneEpochs, long seed) {
        return new TeacherRecipe(300, new BartShape(64, 1, 1, 2, 128, 0.0, 32), 0, DenoisingSettings.bart(16, 16), 0,
                fineTuneEpochs, 16, 3e-3, 20, 0.0, seed, 16, false, 10, 1);
    }
}
