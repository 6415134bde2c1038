package io.kdflow.core.pretrain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SentencePermutationTest {

    @Test
    void shouldSplitAtEndPunctuationFollowedBySpace() {
        assertThat(SentencePermutation.sentences("  Stay! Who goes there?  'Tis I. Mr.Smith's e.g.x  "))
                .containsExactly("Stay!", "Who goes there?", "'Tis I.", "Mr.Smith's e.g.x");
        assertThat(SentencePermutation.sentences("He said \"Go.\" Then he went!")).containsExactly("He said \"Go.\"",
                "Then he went!");
        assertThat(SentencePermutation.sentences("What?! No...  never")).containsExactly("What?!", "No...", "never");
        assertThat(SentencePermutation.sentences("   ")).isEmpty();
        assertThat(SentencePermutation.sentences("")).isEmpty();
    }

    @Test
    void shouldKeepTheMultisetOfSentencesAndTheWhiteSpaceInPlace() {
        String text = " One. Two!  Three? Four. Four. ";
        SplittableRandom random = new SplittableRandom(3);
        Set<String> orders = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String permuted = SentencePermutation.permute(text, random);
            assertThat(SentencePermutation.sentences(permuted))
                    .containsExactlyInAnyOrderElementsOf(SentencePermutation.sentences(text));
            assertThat(permuted).startsWith(" ").endsWith(" ").hasSameSizeAs(text);
            // the sentences hold no space, so the white space runs between them must be the original ones
            assertThat(permuted.split("\\S+", -1)).containsExactly(text.split("\\S+", -1));
            orders.add(permuted);
        }
        // 5! / 2! = 60 distinct orders of the five sentences (two are equal); 200 shuffles see most of them
        assertThat(orders).hasSizeGreaterThan(40).hasSizeLessThanOrEqualTo(60);
    }

    @Test
    void shouldBeTheIdentityOnOneSentence() {
        SplittableRandom random = new SplittableRandom(5);
        for (String text : List.of("Come, come, we know your meaning, brother Gloucester.", "  no end mark ",
                "Ends with a question?", "", " ")) {
            assertThat(SentencePermutation.permute(text, random)).isEqualTo(text);
        }
    }

    @Test
    void shouldSwapTwoSentencesKeepingTheSeparator() {
        SplittableRandom random = new SplittableRandom(9);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            seen.add(SentencePermutation.permute("Go hence.\tI will.", random));
        }
        assertThat(seen).containsExactlyInAnyOrder("Go hence.\tI will.", "I will.\tGo hence.");
    }
}
