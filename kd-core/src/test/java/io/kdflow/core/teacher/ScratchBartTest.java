package io.kdflow.core.teacher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ScratchBart}: the tokenizer's min_frequency decides which pairs it merges. */
class ScratchBartTest {

    private static final BartShape SHAPE = new BartShape(16, 1, 1, 2, 32, 0.0, 32);

    @TempDir
    Path temp;

    @Test
    void shouldMergeFewerPairsWithAHigherMinFrequency() throws Exception {
        List<String> texts = new ArrayList<>(TinyTasks.sentences(200, 1));
        texts.addAll(List.of("quixotic zephyr", "jovial sphinx", "vexing wyvern")); // pairs seen once or twice

        ScratchBart.create(temp.resolve("once"), texts, 3000, 1, SHAPE, 1);
        ScratchBart.create(temp.resolve("default"), texts, 3000, SHAPE, 1);
        ScratchBart.create(temp.resolve("thrice"), texts, 3000, 3, SHAPE, 1);

        int once = merges(temp.resolve("once")).size();
        int twice = merges(temp.resolve("default")).size();
        int thrice = merges(temp.resolve("thrice")).size();
        assertThat(once).as("a vocabulary of 3,000 is not filled: min_frequency alone stops the merges")
                .isGreaterThan(twice);
        assertThat(twice).isGreaterThan(thrice);
        assertThat(merges(temp.resolve("thrice"))).isSubsetOf(merges(temp.resolve("once")));
    }

    private static List<String> merges(Path directory) throws Exception {
        JsonNode merges = new ObjectMapper().readTree(directory.resolve("tokenizer.json").toFile())
                .path("model").path("merges");
        List<String> all = new ArrayList<>();
        merges.forEach(merge -> all.add(merge.isArray() ? merge.get(0).asText() + " " + merge.get(1).asText()
                : merge.asText()));
        assertThat(all).isNotEmpty();
        return all;
    }
}
