package io.kdflow.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.kdflow.core.decoding.TextEncoding;
import io.kdflow.core.model.PretrainedModels;
import io.kdflow.core.model.Seq2SeqModel;
import io.kdflow.core.model.nn.Autograd;
import io.kdflow.core.model.nn.RunMode;
import io.kdflow.core.store.CheckpointManifest;
import io.kdflow.core.store.ModelStore;
import io.kdflow.core.testing.HfTiny;
import io.kdflow.core.tokenizer.HfTokenizer;
import io.kdflow.core.train.PairBatch;
import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.PseudoTarget;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.Split;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cross-entropy training of the bart-tiny fixture on streamed targets: steps, checkpoints, redeliveries. */
class CrossEntropyTrainerTest {

    /** Style-transfer pairs: the copy-trained fixture must learn something new to lower its loss. */
    private static final List<String> SOURCES = List.of("Good morrow to you, my lord.", "What news on the Rialto?",
            "Wherefore art thou Romeo?", "All that glisters is not gold.");
    private static final List<String> TARGETS = List.of("Hello, sir.", "What is new in town?", "Why are you Romeo?",
            "Shiny things can be cheap.");

    @TempDir
    Path dir;

    @Test
    void shouldStepEveryBatchCheckpointLoadableModelsAndLowerTheLoss() throws Exception {
        ModelStore store = new ModelStore(dir.resolve("store"));
        Path init = HfTiny.copyModel(HfTiny.BART, Files.createDirectories(store.root().resolve("init")));
        Files.delete(init.resolve("reference.safetensors"));
        CrossEntropyTrainer.Settings settings = new CrossEntropyTrainer.Settings(2, 1e-3, 0, 100, 0.0, 3, 32, 32);
        double before = loss(init);
        List<CheckpointEvent> events = new ArrayList<>();
        try (CrossEntropyTrainer trainer = new CrossEntropyTrainer(init, dir.resolve("data"),
                new CheckpointWriter(store, "test", Clock.systemUTC()), settings)) {
            long offset = 0;
            for (int epoch = 0; epoch < 3; epoch++) {
                for (int i = 0; i < SOURCES.size(); i++) {
                    trainer.accept(target("job", "ex-" + i + "-" + epoch, SOURCES.get(i), TARGETS.get(i)), "kdflow.pseudo-targets.v1", 0,
                            offset++).ifPresent(events::add);
                }
            }
            Optional<CheckpointEvent> redelivered = trainer.accept(target("job", "ex-0-0", SOURCES.get(0), TARGETS.get(0)),
                    "kdflow.pseudo-targets.v1", 0, 3);

            assertThat(trainer.steps()).isEqualTo(6);
            assertThat(redelivered).isEmpty();
            assertThatThrownBy(() -> trainer.accept(target("other", "x", "y", "z"), "t", 0, 99))
                    .hasMessageContaining("this trainer trains job job");
        }
        assertThat(events).extracting(CheckpointEvent::getStep).containsExactly(3L, 6L);
        CheckpointEvent last = events.get(1);
        Path checkpoint = store.resolve(last.getUri());
        CheckpointManifest manifest = CheckpointManifest.verify(checkpoint, last.getSha256());
        assertThat(manifest.files()).containsKeys("config.json", "model.safetensors", "tokenizer.json",
                "generation_config.json");
        assertThat(manifest.consumedOffsets()).containsEntry("kdflow.pseudo-targets.v1/0", 12L);
        assertThat(manifest.properties()).containsEntry("mode", "cross-entropy").containsEntry("targets", "12");
        assertThat(loss(checkpoint)).as("loss on the training texts after 6 steps").isLessThan(before * 0.7);
    }

    private static double loss(Path modelDir) throws Exception {
        try (NDManager manager = NDManager.newBaseManager();
                Seq2SeqModel model = PretrainedModels.loadSeq2Seq(modelDir, manager);
                HfTokenizer tokenizer = HfTokenizer.load(modelDir.resolve("tokenizer.json"));
                Autograd.Scope noGrad = Autograd.disabled()) {
            PairBatch batch = PairBatch.encode(new TextEncoding(tokenizer, model.config()), SOURCES, TARGETS, 32, 32, 1);
            return model.loss(manager.create(batch.inputIds()), manager.create(batch.attentionMask()),
                    manager.create(batch.labels()), RunMode.INFERENCE).getFloat();
        }
    }

    private static PseudoTarget target(String job, String exampleId, String source, String text) {
        return PseudoTarget.newBuilder()
                .setHeader(RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId(job))
                .setExampleId(exampleId)
                .setSplit(Split.TRAIN)
                .setKind(PseudoTarget.Kind.PASS_THROUGH)
                .setNumPseudoTargets(1)
                .setSource(source)
                .setText(text)
                .build();
    }
}
