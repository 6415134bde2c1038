package io.kdflow.evaluator.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdflow.core.eval.EvaluationSettings;
import io.kdflow.core.job.JobFile;
import io.kdflow.core.store.ModelStore;
import io.kdflow.core.wire.proto.JobSpec;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job file's JobSpec is evaluated on its task files with distill --local's settings; a spec whose evaluation
 * section names store data keeps the evaluator's defaults.
 */
class JobEvaluationTest {

    private static final Path TASK = Path.of("src/test/resources/copy-task").toAbsolutePath();
    private static final EvaluationSettings.Defaults CONFIG = new EvaluationSettings.Defaults(4, 64, 256, 64, 16,
            "bleu", 200, Optional.of(Path.of("config-dev.jsonl")), Optional.empty(), true, false);

    @TempDir
    Path store;

    @Test
    void shouldEvaluateAJobFilesSpecOnItsTaskFilesAsTheLocalRunDoes() {
        JobSpec spec = job("""
                evaluation:
                  batch_size: 8
                """);

        EvaluationSettings settings = JobEvaluation.resolve(Optional.of(spec), CONFIG, new ModelStore(store));

        assertThat(settings.devData()).isEqualTo(TASK.resolve("dev.jsonl"));
        assertThat(settings.testData()).contains(TASK.resolve("test.jsonl"));
        assertThat(settings.maxDevExamples()).as("task.dev_size").isEqualTo(2);
        assertThat(settings.maxTestExamples()).as("no test_size: the whole file").isEqualTo(Integer.MAX_VALUE);
        assertThat(settings.maxSourceTokens()).isEqualTo(20);
        assertThat(settings.maxTargetTokens()).isEqualTo(24);
        assertThat(settings.maxNewTokens()).as("the target limit, as distill --local").isEqualTo(24);
        assertThat(settings.batchSize()).as("the job's evaluation.batch_size").isEqualTo(8);
        assertThat(settings.numBeams()).isEqualTo(4);
        assertThat(settings.selectionMetric()).isEqualTo("bleu");
        assertThat(settings.latency()).isTrue();
    }

    @Test
    void shouldLetTheEvaluationSectionOverrideTheTaskSizesAndDecoding() {
        JobSpec spec = job("""
                evaluation:
                  num_beams: 2
                  selection_metric: chrf
                """).toBuilder()
                .setEvaluation(JobSpec.newBuilder().getEvaluationBuilder().setNumBeams(2).setSelectionMetric("chrf")
                        .setMaxDevExamples(1).setMaxTestExamples(1).setMaxNewTokens(7))
                .build();

        EvaluationSettings settings = JobEvaluation.resolve(Optional.of(spec), CONFIG, new ModelStore(store));

        assertThat(settings.maxDevExamples()).isEqualTo(1);
        assertThat(settings.maxTestExamples()).isEqualTo(1);
        assertThat(settings.numBeams()).isEqualTo(2);
        assertThat(settings.maxNewTokens()).isEqualTo(7);
        assertThat(settings.selectionMetric()).isEqualTo("chrf");
        assertThat(settings.batchSize()).as("no batch_size in the job: the evaluator's").isEqualTo(16);
    }

    @Test
    void shouldKeepTheConfiguredDataForASpecWithoutTaskFiles() {
        JobSpec spec = JobSpec.newBuilder().setHeader(job("").getHeader()).build();

        EvaluationSettings settings = JobEvaluation.resolve(Optional.of(spec), CONFIG, new ModelStore(store));

        assertThat(JobEvaluation.readsTaskFiles(spec)).isFalse();
        assertThat(settings.devData()).isEqualTo(Path.of("config-dev.jsonl"));
        assertThat(settings.testData()).isEmpty();
        assertThat(settings.maxDevExamples()).isEqualTo(200);
        assertThat(settings.maxNewTokens()).isEqualTo(64);
    }

    private static JobSpec job(String extra) {
        String yaml = """
                name: copy-job
                task:
                  name: copy
                  train: dev.jsonl
                  dev: dev.jsonl
                  test: test.jsonl
                  dev_size: 2
                  max_source_tokens: 20
                  max_target_tokens: 24
                """ + extra;
        return JobFile.parse("copy-job.yaml", yaml, TASK, "copy-job");
    }
}
