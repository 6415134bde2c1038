package io.kdflow.core.teacher;

import ai.djl.ndarray.NDManager;
import io.kdflow.core.engine.EngineSetup;
import io.kdflow.core.eval.EvalDatasetReader;
import io.kdflow.core.eval.EvalExample;
import io.kdflow.core.eval.EvaluationSettings;
import io.kdflow.core.eval.MetricNames;
import io.kdflow.core.eval.SplitEvaluator;
import io.kdflow.core.eval.SplitResult;
import io.kdflow.core.metrics.Bleu;
import io.kdflow.core.model.ModelDirectory;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Scores a teacher directory outside the test suite:
 * {@code java -cp ... io.kdflow.core.teacher.TeacherCheck TEACHER_DIR DEV_JSONL [N]}: the copy baseline and the
 * teacher (beam 4, 48 new tokens) on the first N dev examples, and the input-sensitivity check on 100 sources.
 */
public final class TeacherCheck {

    private TeacherCheck() {}

    public static void main(String[] args) {
        EngineSetup.shared(2).apply();
        Path teacher = Path.of(args[0]);
        int count = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        List<EvalExample> dev = EvalDatasetReader.read(Path.of(args[1]), count);
        List<List<String>> references = dev.stream().map(EvalExample::references).toList();
        System.out.println("copy baseline on " + dev.size() + " dev examples: "
                + Bleu.corpusScore(dev.stream().map(EvalExample::source).toList(), references));
        try (NDManager manager = NDManager.newBaseManager();
                ModelDirectory model = ModelDirectory.load(teacher, manager)) {
            SplitResult result = new SplitEvaluator(model.seq2seq(), model.tokenizer(), model.generationConfig())
                    .evaluate(dev, new EvaluationSettings(4, 48, 48, 48, 16, MetricNames.BLEU, dev.size(), 1,
                            Path.of(args[1]), Optional.empty(), false, false));
            System.out.println("teacher: " + result.metrics());
            System.out.println("teacher BLEU detail: " + Bleu.corpusScore(result.predictions(), references));
            for (int i = 0; i < 5; i++) {
                System.out.println("  source: " + dev.get(i).source() + "\n  predicted: " + result.predictions().get(i)
                        + "\n  gold: " + dev.get(i).references().get(0));
            }
            InputSensitivity.Result check = new InputSensitivity(model.seq2seq(), model.tokenizer(),
                    model.generationConfig(), InputSensitivity.Thresholds.DEFAULT)
                    .measure(dev.subList(0, Math.min(100, dev.size())).stream().map(EvalExample::source).toList(), 48);
            System.out.println("sensitivity: " + check.summary() + "; most common: " + check.mostCommonPrediction());
        }
    }
}
