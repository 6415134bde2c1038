package io.kdflow.core.teacher;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The teacher cache around real (tiny, one-epoch) teacher trainings: reuse of a complete entry, retraining of
 * a tampered or partial one, keys that follow recipe, seed and data content, and the provenance file.
 */
class TeacherCacheTest {

    @TempDir
    Path dir;

    private Path train;
    private Path dev;
    private final AtomicInteger trainings = new AtomicInteger();

    @BeforeAll
    static void oneThread() {
        Engine.getInstance();
        JniUtils.setNumThreads(1);
    }

    @BeforeEach
    void writeData() throws IOException {
        train = dir.resolve("train.jsonl");
        dev = dir.resolve("dev.jsonl");
        writeJsonl(train, TinyTasks.sentences(64, 1));
        writeJsonl(dev, TinyTasks.sentences(10, 2));
    }

    @Test
    void shouldTrainOnceAndReuseTheEntryWithItsProvenance() {
        TeacherCache cache = new TeacherCache(dir.resolve("cache"));
        TeacherRecipe recipe = TinyTasks.recipe(1, 5);

        TeacherCache.Entry first = getOrTrain(cache, recipe);
        TeacherCache.Entry second = getOrTrain(cache, recipe);

        assertThat(trainings).hasValue(1);
        assertThat(first.reused()).isFalse();
        assertThat(second.reused()).isTrue();
        assertThat(second.directory()).isEqualTo(first.directory())
                .isEqualTo(dir.resolve("cache").resolve(first.key()));
        assertThat(first.key()).matches("[0-9a-f]{64}");
        assertThat(first.directory().resolve("model.safetensors")).isRegularFile();
        assertThat(first.directory().resolve("tokenizer.json")).isRegularFile();
        var provenance = second.provenance();
        assertThat(provenance.get("key").asText()).isEqualTo(first.key());
        assertThat(provenance.get("seed").asLong()).isEqualTo(5);
        assertThat(provenance.get("recipe").get("d_model").asInt()).isEqualTo(64);
        assertThat(provenance.get("data_sha256").get("train.jsonl").asText()).isEqualTo(TeacherCache.sha256(train));
        assertThat(provenance.get("git_commit").asText()).isEqualTo("abc123");
        assertThat(provenance.get("dev_metrics").has("bleu")).isTrue();
        assertThat(provenance.get("fine_tune_steps").asLong()).isEqualTo(4); // 64 pairs in batches of 16
        assertThat(provenance.get("input_sensitivity").has("distinct_fraction")).isTrue();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void shouldRetrainATamperedOrPartialEntry() throws IOException {
        TeacherCache cache = new TeacherCache(dir.resolve("cache"));
        TeacherRecipe recipe = TinyTasks.recipe(1, 5);
        TeacherCache.Entry first = getOrTrain(cache, recipe);
        Files.writeString(first.directory().resolve("config.json"), "{}");

        assertThat(TeacherCache.verify(first.directory()))
                .contains("config.json does not match its sha256 in manifest.json");
        TeacherCache.Entry retrained = getOrTrain(cache, recipe);
        assertThat(retrained.reused()).isFalse();
        assertThat(TeacherCache.verify(retrained.directory())).isEmpty();

        Files.delete(retrained.directory().resolve(TeacherCache.MANIFEST));
        assertThat(TeacherCache.verify(retrained.directory())).contains("no manifest.json");
        assertThat(getOrTrain(cache, recipe).reused()).isFalse();
        Files.delete(retrained.directory().resolve("model.safetensors"));
        assertThat(TeacherCache.verify(retrained.directory())).contains("model.safetensors is missing");
        assertThat(getOrTrain(cache, recipe).reused()).isFalse();
        assertThat(trainings).hasValue(4);
        assertThat(getOrTrain(cache, recipe).reused()).isTrue();
    }

    @Test
    void shouldKeyOnRecipeSeedAndDataContent() throws IOException {
        TeacherRecipe recipe = TinyTasks.recipe(1, 5);
        String key = TeacherCache.key(recipe, TeacherCache.dataHashes(List.of(train, dev)));

        assertThat(TeacherCache.key(recipe, TeacherCache.dataHashes(List.of(train, dev)))).isEqualTo(key);
        assertThat(TeacherCache.key(TinyTasks.recipe(1, 6), TeacherCache.dataHashes(List.of(train, dev))))
                .isNotEqualTo(key);
        assertThat(TeacherCache.key(TinyTasks.recipe(2, 5), TeacherCache.dataHashes(List.of(train, dev))))
                .isNotEqualTo(key);
        Path moved = Files.createDirectories(dir.resolve("elsewhere")).resolve("train.jsonl");
        Files.copy(train, moved);
        assertThat(TeacherCache.key(recipe, TeacherCache.dataHashes(List.of(moved, dev)))).isEqualTo(key);
        Files.writeString(moved, "\n", StandardOpenOption.APPEND);
        assertThat(TeacherCache.key(recipe, TeacherCache.dataHashes(List.of(moved, dev)))).isNotEqualTo(key);
    }

    private TeacherCache.Entry getOrTrain(TeacherCache cache, TeacherRecipe recipe) {
        return cache.getOrTrain(recipe, List.of(train, dev), Optional.of("abc123"), (work, output) -> {
            trainings.incrementAndGet();
            return new TeacherTrainer(recipe, TeacherProgress.NONE)
                    .trainFromScratch(TeacherData.read(train, dev, Optional.empty()), work, output);
        });
    }

    private List<Path> leftovers() {
        try (Stream<Path> list = Files.list(dir.resolve("cache"))) {
            return list.filter(path -> path.getFileName().toString().startsWith(".partial")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeJsonl(Path file, List<String> texts) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < texts.size(); i++) {
            lines.append("{\"id\": \"x").append(i).append("\", \"source\": \"").append(texts.get(i))
                    .append("\", \"target\": \"").append(texts.get(i)).append("\"}\n");
        }
        Files.writeString(file, lines, StandardCharsets.UTF_8);
    }
}
