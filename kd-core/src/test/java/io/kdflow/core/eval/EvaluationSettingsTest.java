package io.kdflow.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.store.ModelStore;
import io.kdflow.core.wire.proto.EvaluationSpec;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.TrainingSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job's EvaluationSpec over the defaults, and messages that name field, value and what is allowed. */
class EvaluationSettingsTest {

    @TempDir
    Path dir;

    private ModelStore store;
    private EvaluationSettings.Defaults defaults;

    @BeforeEach
    void setUp() throws IOException {
        store = new ModelStore(dir.resolve("store"));
        Files.createDirectories(store.root().resolve("data"));
        Files.writeString(store.root().resolve("data/dev.jsonl"), "{}\n");
        Files.writeString(store.root().resolve("data/test.jsonl"), "{}\n");
        defaults = paper(Optional.of(dir.resolve("default-dev.jsonl")), Optional.empty());
    }

    @Test
    void shouldTakeEveryDefaultWithoutAJobSpec() {
        EvaluationSettings settings = EvaluationSettings.resolve(Optional.empty(), defaults, store);

        assertThat(settings).isEqualTo(new EvaluationSettings(4, 64, 256, 64, 16, "bleu", 200, 200,
                dir.resolve("default-dev.jsonl"), Optional.empty(), false, false));
    }

    @Test
    void shouldLetTheJobSpecWinWhereItSetsAValue() {
        JobSpec job = JobSpec.newBuilder()
                .setEvaluation(EvaluationSpec.newBuilder().setNumBeams(2).setMaxNewTokens(32).setSelectionMetric("nll")
                        .setMaxDevExamples(50).setMaxTestExamples(70).setDevDataUri("store:data/dev.jsonl")
                        .setTestDataUri("store:data/test.jsonl").setMeasureLatency(true).setMeasureThroughput(false))
                .setTraining(TrainingSpec.newBuilder().setMaxSourceTokens(128).setMaxTargetTokens(48))
                .build();
        EvaluationSettings.Defaults measuring = new EvaluationSettings.Defaults(4, 64, 256, 64, 8, "bleu", 200, Optional.empty(),
                Optional.empty(), false, true);

        EvaluationSettings settings = EvaluationSettings.resolve(Optional.of(job), measuring, store);

        assertThat(settings).isEqualTo(new EvaluationSettings(2, 32, 128, 48, 8, "nll", 50, 70,
                store.root().resolve("data/dev.jsonl"), Optional.of(store.root().resolve("data/test.jsonl")), true,
                false));
    }

    @Test
    void shouldNameFieldValueAndWhatIsAllowed() {
        assertThatThrownBy(() -> resolve(EvaluationSpec.newBuilder().setSelectionMetric("blue")))
                .isInstanceOf(BadInputException.class)
                .hasMessage("JobSpec.evaluation.selection_metric: 'blue' is unknown (one of bleu, chrf, ter, rouge,"
                        + " rouge1_p, rouge1_r, rouge1_f, rouge2_p, rouge2_r, rouge2_f, rougeL_p, rougeL_r, rougeL_f, nll)");
        assertThatThrownBy(() -> resolve(EvaluationSpec.newBuilder().setNumBeams(65)))
                .hasMessage("JobSpec.evaluation.num_beams: 65 is out of range (1 to 64, or 0 for the default 4)");
        assertThatThrownBy(() -> resolve(EvaluationSpec.newBuilder().setMaxDevExamples(-1)))
                .hasMessage("JobSpec.evaluation.max_dev_examples: 4294967295 is out of range (1 to 2147483647,"
                        + " or 0 for the default 200)");
        assertThatThrownBy(() -> resolve(EvaluationSpec.newBuilder().setDevDataUri("store:../outside.jsonl")))
                .isInstanceOf(BadInputException.class)
                .hasMessage("JobSpec.evaluation.dev_data_uri: 'store:../outside.jsonl' is not usable: path outside the"
                        + " model store root: store:../outside.jsonl (expected store:<relative path> inside the model"
                        + " store)");
        assertThatThrownBy(() -> resolve(EvaluationSpec.newBuilder().setTestDataUri("store:data/missing.jsonl")))
                .hasMessage("JobSpec.evaluation.test_data_uri: 'store:data/missing.jsonl' names no file in the model"
                        + " store");
        assertThatThrownBy(() -> EvaluationSettings.resolve(Optional.empty(),
                paper(Optional.empty(), Optional.empty()), store))
                .hasMessage("JobSpec.evaluation.dev_data_uri: empty, and no default dev set is configured for the job"
                        + " (expected a store: URI of a JSON Lines file)");
    }

    /** The paper's protocol with the given data and no latency or throughput runs. */
    private static EvaluationSettings.Defaults paper(Optional<Path> devData, Optional<Path> testData) {
        return new EvaluationSettings.Defaults(4, 64, 256, 64, 16, "bleu", 200, devData, testData, false, false);
    }

    private EvaluationSettings resolve(EvaluationSpec.Builder spec) {
        return EvaluationSettings.resolve(Optional.of(JobSpec.newBuilder().setEvaluation(spec).build()), defaults, store);
    }
}
