package io.kdflow.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every entry of the golden fixture: sacrebleu 2.6.0 corpus BLEU (statistics exact, score within 1e-9),
 * sentence BLEU, chrF and TER, and rouge-score ROUGE precision/recall/F1 (torchmetrics float32, so 1e-6).
 */
class MetricReferenceTest {

    private static final double CORPUS_BLEU_TOLERANCE = 1e-9;
    private static final double PAIR_TOLERANCE = 1e-6;
    private static final String[] ROUGE_VARIANTS = {"rouge1", "rouge2", "rougeL"};
    private static final String[] ROUGE_FIELDS = {"precision", "recall", "fmeasure"};

    private static final ErrorLog ERRORS = new ErrorLog();

    static List<MetricFixture.Pair> pairs() {
        return MetricFixture.pairs();
    }

    @Test
    void shouldHoldAllSixtyEightPairsOfTheFixture() {
        assertThat(pairs()).hasSize(68);
        assertThat(pairs().stream().filter(pair -> pair.kind().equals("edge"))).hasSize(8);
    }

    @Test
    void shouldReproduceCorpusBleuStatisticsExactly() {
        JsonNode expected = MetricFixture.root().get("corpus_bleu");
        List<MetricFixture.Pair> pairs = pairs();

        BleuScore bleu = Bleu.corpusScore(MetricFixture.hypotheses(pairs), MetricFixture.singleReferences(pairs));

        assertThat(bleu.counts()).containsExactlyElementsOf(ints(expected.get("counts")));
        assertThat(bleu.totals()).containsExactlyElementsOf(ints(expected.get("totals")));
        assertThat(bleu.sysLen()).isEqualTo(expected.get("sys_len").asInt());
        assertThat(bleu.refLen()).isEqualTo(expected.get("ref_len").asInt());
        assertThat(bleu.bp()).isEqualTo(expected.get("bp").asDouble());
        for (int n = 0; n < Bleu.MAX_NGRAM_ORDER; n++) {
            assertThat(bleu.precisions().get(n))
                    .isCloseTo(expected.get("precisions").get(n).asDouble(), within(CORPUS_BLEU_TOLERANCE));
        }
        assertThat(bleu.score()).isCloseTo(expected.get("score").asDouble(), within(CORPUS_BLEU_TOLERANCE));
        ERRORS.record("corpus BLEU", bleu.score(), expected.get("score").asDouble());
    }

    @Test
    void shouldReproduceCorpusBleuWithoutTheEdgeCases() {
        List<MetricFixture.Pair> perturbed = pairs().stream().filter(pair -> !pair.kind().equals("edge")).toList();
        double expected = MetricFixture.root().get("corpus_bleu_without_edge_cases").asDouble();

        double actual = Bleu.corpusScore(MetricFixture.hypotheses(perturbed), MetricFixture.singleReferences(perturbed))
                .score();

        assertThat(perturbed).hasSize(60);
        assertThat(actual).isCloseTo(expected, within(CORPUS_BLEU_TOLERANCE));
        ERRORS.record("corpus BLEU (60 pairs)", actual, expected);
    }

    @Test
    void shouldReproduceCorpusChrf() {
        double expected = MetricFixture.root().get("corpus_chrf").asDouble();

        double actual = Chrf.corpusScore(MetricFixture.hypotheses(pairs()), MetricFixture.singleReferences(pairs()));

        assertThat(actual).isCloseTo(expected, within(PAIR_TOLERANCE));
        ERRORS.record("corpus chrF", actual, expected);
    }

    @Test
    void shouldReproduceCorpusTer() {
        double expected = MetricFixture.root().get("corpus_ter").asDouble();

        double actual = Ter.corpusScore(MetricFixture.hypotheses(pairs()), MetricFixture.singleReferences(pairs()))
                .score();

        assertThat(actual).isCloseTo(expected, within(CORPUS_BLEU_TOLERANCE));
        ERRORS.record("corpus TER", actual, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void shouldReproduceSentenceBleuWithEffectiveOrder(MetricFixture.Pair pair) {
        double actual = Bleu.sentenceScore(pair.hyp(), List.of(pair.ref())).score();

        assertThat(actual).isCloseTo(pair.sentenceBleu(), within(PAIR_TOLERANCE));
        ERRORS.record("sentence BLEU", actual, pair.sentenceBleu());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void shouldReproduceSentenceChrf(MetricFixture.Pair pair) {
        double actual = Chrf.sentenceScore(pair.hyp(), List.of(pair.ref()));

        assertThat(actual).isCloseTo(pair.chrf(), within(PAIR_TOLERANCE));
        ERRORS.record("sentence chrF", actual, pair.chrf());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void shouldReproduceRougePrecisionRecallAndF1(MetricFixture.Pair pair) {
        RougeScores scores = new Rouge().score(pair.hyp(), pair.ref());
        RougeScore[] byVariant = {scores.rouge1(), scores.rouge2(), scores.rougeL()};

        for (int v = 0; v < ROUGE_VARIANTS.length; v++) {
            double[] actual = {byVariant[v].precision(), byVariant[v].recall(), byVariant[v].fmeasure()};
            for (int f = 0; f < ROUGE_FIELDS.length; f++) {
                double expected = pair.rouge(ROUGE_VARIANTS[v], ROUGE_FIELDS[f]);
                assertThat(actual[f]).as("%s %s", ROUGE_VARIANTS[v], ROUGE_FIELDS[f])
                        .isCloseTo(expected, within(PAIR_TOLERANCE));
                ERRORS.record("ROUGE P/R/F", actual[f], expected);
            }
        }
    }

    @Test
    void shouldGiveTheSameAnswerThroughTheMultiReferenceApiWithOneReference() {
        Rouge rouge = new Rouge();
        for (MetricFixture.Pair pair : pairs()) {
            assertThat(rouge.scoreMulti(pair.hyp(), List.of(pair.ref()))).isEqualTo(rouge.score(pair.hyp(), pair.ref()));
        }
    }

    @AfterAll
    static void reportLargestErrors() {
        // The report to the lead quotes these numbers; they are printed, not asserted, beyond the tolerances above.
        System.out.println("[metrics] largest absolute error vs fixture: " + ERRORS);
    }

    private static List<Integer> ints(JsonNode array) {
        return IntStream.range(0, array.size()).mapToObj(i -> array.get(i).asInt()).toList();
    }

    /** Largest absolute error per metric, for the record. */
    private static final class ErrorLog {

        private final List<String> names = new ArrayList<>();
        private final List<Double> largest = new ArrayList<>();

        synchronized void record(String name, double actual, double expected) {
            double error = Math.abs(actual - expected);
            int index = names.indexOf(name);
            if (index < 0) {
                names.add(name);
                largest.add(error);
            } else if (error > largest.get(index)) {
                largest.set(index, error);
            }
        }

        @Override
        public synchronized String toString() {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < names.size(); i++) {
                out.append(i == 0 ? "" : ", ").append(names.get(i)).append('=').append(largest.get(i));
            }
            return out.toString();
        }
    }
}
