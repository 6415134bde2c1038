package io.kdflow.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class PorterStemmerTest {

    /** Porter's 1980 examples whose full-algorithm stem is the one the paper shows (all three variants agree). */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "caresses,caress", "ponies,poni", "cats,cat", "feed,feed", "agreed,agre", "plastered,plaster",
        "motoring,motor", "sing,sing", "hopping,hop", "falling,fall", "hissing,hiss", "filing,file",
        "failing,fail", "happy,happi", "relational,relat", "conditional,condit", "rational,ration",
        "hopeful,hope", "goodness,good", "controll,control", "roll,roll", "cease,ceas", "probate,probat",
        "rate,rate", "generalizations,gener", "oscillators,oscil", "triplicate,triplic", "formalize,formal",
        "electrical,electr", "adjustable,adjust", "adoption,adopt",
    })
    void shouldReproduceClassicStemsInEveryMode(String word, String stem) {
        for (PorterStemmer.Mode mode : PorterStemmer.Mode.values()) {
            assertThat(new PorterStemmer(mode).stem(word)).as("%s in %s", word, mode).isEqualTo(stem);
        }
    }

    @Test
    void shouldApplyNltkExtensionsByDefaultAsRougeScoreDoes() {
        // NLTK's own documentation example (stem.doctest) for the default mode.
        List<String> words = List.of("caresses", "flies", "dies", "mules", "denied", "died", "agreed", "owned",
                "humbled", "sized", "meeting", "stating", "siezing", "itemization", "sensational", "traditional",
                "reference", "colonizer", "plotted");
        PorterStemmer stemmer = new PorterStemmer();

        assertThat(words.stream().map(stemmer::stem)).containsExactly("caress", "fli", "die", "mule", "deni",
                "die", "agre", "own", "humbl", "size", "meet", "state", "siez", "item", "sensat", "tradit", "refer",
                "colon", "plot");
        assertThat(stemmer.mode()).isEqualTo(PorterStemmer.Mode.NLTK_EXTENSIONS);
    }

    @Test
    void shouldDifferBetweenModesWhereNltkDocumentsItsChanges() {
        PorterStemmer nltk = new PorterStemmer(PorterStemmer.Mode.NLTK_EXTENSIONS);
        PorterStemmer original = new PorterStemmer(PorterStemmer.Mode.ORIGINAL_ALGORITHM);

        assertThat(nltk.stem("ties")).isEqualTo("tie");
        assertThat(original.stem("ties")).isEqualTo("ti");
        assertThat(nltk.stem("enjoy")).isEqualTo("enjoy");
        assertThat(original.stem("enjoy")).isEqualTo("enjoi");
        assertThat(nltk.stem("skies")).isEqualTo("sky");
        assertThat(nltk.stem("dying")).isEqualTo("die");
        assertThat(nltk.stem("as")).isEqualTo("as");
        assertThat(original.stem("as")).isEqualTo("a");
    }

    @ParameterizedTest
    @EnumSource(PorterStemmer.Mode.class)
    void shouldMatchNltkOnEveryWordOfTheReferenceList(PorterStemmer.Mode mode) throws IOException {
        PorterStemmer stemmer = new PorterStemmer(mode);
        List<String> mismatches = new ArrayList<>();
        List<String[]> rows = nltkRows();

        for (String[] row : rows) {
            String expected = row[column(mode)];
            String actual = stemmer.stem(row[0]);
            if (!actual.equals(expected)) {
                mismatches.add(row[0] + ": nltk " + expected + ", ours " + actual);
            }
        }

        assertThat(rows).hasSizeGreaterThan(2000);
        assertThat(mismatches).isEmpty();
    }

    private static int column(PorterStemmer.Mode mode) {
        return switch (mode) {
            case NLTK_EXTENSIONS -> 1;
            case MARTIN_EXTENSIONS -> 2;
            case ORIGINAL_ALGORITHM -> 3;
        };
    }

    /** Rows of {@code word, NLTK_EXTENSIONS, MARTIN_EXTENSIONS, ORIGINAL_ALGORITHM}. */
    private static List<String[]> nltkRows() throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (InputStream in = PorterStemmerTest.class.getResourceAsStream("/metrics/porter_nltk_3.8.tsv");
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.startsWith("#")) {
                    rows.add(line.split("\t"));
                }
            }
        }
        return rows;
    }
}
