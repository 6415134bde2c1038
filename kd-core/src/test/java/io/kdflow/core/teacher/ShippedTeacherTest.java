package io.kdflow.core.teacher;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kdflow.core.eval.EvalDatasetReader;
import io.kdflow.core.eval.EvalExample;
import io.kdflow.core.model.ModelDirectory;
import io.kdflow.core.safetensors.SafetensorsDtype;
import io.kdflow.core.safetensors.SafetensorsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Shakespeare teacher shipped in {@code models/shakespeare-teacher}: float16, within the size the project
 * allows, with a provenance that matches the bundled data, and not the failure a teacher trained from scratch
 * tends to end in (one sentence for every source).
 */
class ShippedTeacherTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path TEACHER = ROOT.resolve("models/shakespeare-teacher");
    private static final long MAX_BYTES = 25L * 1024 * 1024;

    @Test
    void shouldShipHalfPrecisionWeightsWithinTheSizeLimit() throws IOException {
        long bytes;
        try (var files = Files.list(TEACHER)) {
            bytes = files.mapToLong(ShippedTeacherTest::size).sum();
        }
        assertThat(bytes).isLessThanOrEqualTo(MAX_BYTES);
        try (SafetensorsFile weights = SafetensorsFile.open(TEACHER.resolve("model.safetensors"))) {
            assertThat(weights.names()).allSatisfy(name ->
                    assertThat(weights.entry(name).dtype()).as(name).isEqualTo(SafetensorsDtype.F16));
        }
    }

    @Test
    void shouldRecordAProvenanceThatMatchesTheBundledData() throws IOException, NoSuchAlgorithmException {
        JsonNode provenance = new ObjectMapper().readTree(TEACHER.resolve("teacher.json").toFile());

        for (String split : List.of("train", "dev", "unlabeled")) {
            Path file = ROOT.resolve("data/shakespeare/" + split + ".jsonl");
            assertThat(provenance.path("data_sha256").path(split + ".jsonl").asText()).as(split)
                    .isEqualTo(sha256(file));
        }
        assertThat(provenance.path("command").asText()).startsWith("./kdflow teacher train");
        assertThat(provenance.path("recipe").path("vocab_size").asInt()).isEqualTo(3000);
        assertThat(provenance.path("dev_metrics").path("bleu").asDouble()).isPositive();
    }

    @Test
    void shouldAnswerEachSourceWithItsOwnPrediction() {
        List<String> sources = EvalDatasetReader.read(ROOT.resolve("data/shakespeare/dev.jsonl"), 40).stream()
                .map(EvalExample::source).toList();
        try (NDManager manager = NDManager.newBaseManager();
                ModelDirectory directory = ModelDirectory.load(TEACHER, manager)) {
            InputSensitivity.Result result = new InputSensitivity(directory.seq2seq(), directory.tokenizer(),
                    directory.generationConfig(), InputSensitivity.Thresholds.DEFAULT).measure(sources, 48);

            assertThat(result.unconditional()).as(result.summary()).isFalse();
            assertThat(result.distinctFraction()).as(result.summary()).isGreaterThan(0.9);
            assertThat(result.sourceMargin()).as(result.summary()).isGreaterThan(5.0);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
