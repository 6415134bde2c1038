package io.kdflow.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskMetricsTest {

    private static final List<MetricFixture.Pair> PAIRS = MetricFixture.pairs();
    private static final List<String> PREDICTIONS = MetricFixture.hypotheses(PAIRS);
    private static final List<List<String>> REFERENCES = MetricFixture.singleReferences(PAIRS);

    @Test
    void shouldReproduceTheFixtureCorpusScoresWithDefaultOptions() {
        TaskMetricsResult result = TaskMetrics.score(PREDICTIONS, REFERENCES, TaskMetrics.Options.defaults());

        assertThat(result.n()).isEqualTo(68);
        assertThat(result.dropped()).isZero();
        assertThat(result.bleu().score()).isCloseTo(MetricFixture.root().get("corpus_bleu").get("score").asDouble(),
                within(1e-9));
        assertThat(result.chrf()).isCloseTo(MetricFixture.root().get("corpus_chrf").asDouble(), within(1e-9));
        assertThat(result.ter().score()).isCloseTo(MetricFixture.root().get("corpus_ter").asDouble(), within(1e-9));
        assertThat(result.rouge1().fmeasure()).isCloseTo(100 * meanOf("rouge1", "fmeasure"), within(1e-5));
        assertThat(result.rouge2().precision()).isCloseTo(100 * meanOf("rouge2", "precision"), within(1e-5));
        assertThat(result.rougeL().recall()).isCloseTo(100 * meanOf("rougeL", "recall"), within(1e-5));
        double paperRouge = (meanOf("rouge1", "fmeasure") + meanOf("rouge2", "fmeasure")
                + meanOf("rougeL", "fmeasure")) / 3;
        assertThat(result.rouge()).isCloseTo(100 * paperRouge, within(1e-5));
    }

    @Test
    void shouldDropEmptyPairsUnderThePaperProtocol() {
        TaskMetricsResult result = TaskMetrics.score(PREDICTIONS, REFERENCES, TaskMetrics.Options.paperProtocol());
        List<MetricFixture.Pair> nonEmpty = PAIRS.stream()
                .filter(pair -> !pair.hyp().isEmpty() && !pair.ref().isEmpty()).toList();

        assertThat(result.n()).isEqualTo(66);
        assertThat(result.dropped()).isEqualTo(2);
        assertThat(result.bleu()).isEqualTo(Bleu.corpusScore(MetricFixture.hypotheses(nonEmpty),
                MetricFixture.singleReferences(nonEmpty)));
        // Dropping pairs that scored 0 raises the mean ROUGE by the factor 68 / 66.
        TaskMetricsResult all = TaskMetrics.score(PREDICTIONS, REFERENCES, TaskMetrics.Options.defaults());
        assertThat(result.rouge()).isCloseTo(all.rouge() * 68 / 66, within(1e-9));
    }

    @Test
    void shouldDropBlankReferencesButKeepThePairWhenAnotherReferenceRemains() {
        List<String> predictions = List.of("the cat sat on the mat", " \t", "a dog");
        List<List<String>> references = List.of(List.of(" ", "the cat sat on a mat"), List.of("anything"),
                List.of("", "\u00A0"));

        TaskMetricsResult result = TaskMetrics.score(predictions, references, TaskMetrics.Options.paperProtocol());

        assertThat(result.n()).isEqualTo(1);
        assertThat(result.dropped()).isEqualTo(2);
        assertThat(result.bleu()).isEqualTo(Bleu.corpusScore(List.of("the cat sat on the mat"),
                List.of(List.of("the cat sat on a mat"))));
    }

    @Test
    void shouldReportTheWorstScoresWhenEveryPairIsDropped() {
        TaskMetricsResult result = TaskMetrics.score(List.of("", " "), List.of(List.of("a"), List.of("b")),
                TaskMetrics.Options.paperProtocol());

        assertThat(result.n()).isZero();
        assertThat(result.dropped()).isEqualTo(2);
        assertThat(result.bleu().score()).isZero();
        assertThat(result.chrf()).isZero();
        assertThat(result.rouge()).isZero();
        assertThat(result.ter().score()).isEqualTo(100.0);
    }

    @Test
    void shouldScoreEmptyPairsLikeTheLibrariesWithoutDropping() {
        TaskMetricsResult result = TaskMetrics.score(List.of("", "a b c"), List.of(List.of("x y"), List.of("a b c")),
                TaskMetrics.Options.defaults());

        assertThat(result.n()).isEqualTo(2);
        assertThat(result.rouge1().fmeasure()).isCloseTo(50.0, within(1e-12));
        assertThat(result.ter().numEdits()).isEqualTo(2);
    }

    @Test
    void shouldStemRougeTokensOnlyWhenAsked() {
        List<String> predictions = List.of("running runs ran");
        List<List<String>> references = List.of(List.of("run running ran"));

        double plain = TaskMetrics.score(predictions, references, TaskMetrics.Options.defaults()).rouge1().fmeasure();
        double stemmed = TaskMetrics.score(predictions, references,
                TaskMetrics.Options.defaults().withRougeStemming(true)).rouge1().fmeasure();

        assertThat(plain).isCloseTo(200.0 / 3, within(1e-9));
        assertThat(stemmed).isEqualTo(100.0);
    }

    @Test
    void shouldExposeAnOrderedImmutableJsonMap() {
        Map<String, Object> json = TaskMetrics.score(PREDICTIONS, REFERENCES, TaskMetrics.Options.defaults())
                .toJsonMap();

        assertThat(json.keySet()).containsExactly("n", "dropped", "bleu", "chrf", "ter", "rouge", "rouge1", "rouge2",
                "rougeL", "bleu_details", "ter_details", "options");
        assertThat(json.get("n")).isEqualTo(68);
        @SuppressWarnings("unchecked")
        Map<String, Object> details = (Map<String, Object>) json.get("bleu_details");
        assertThat(details.keySet()).containsExactly("counts", "totals", "precisions", "bp", "sys_len", "ref_len");
        assertThat(details.get("counts")).isEqualTo(List.of(466, 345, 266, 201));
        assertThat(details.get("sys_len")).isEqualTo(517);
        @SuppressWarnings("unchecked")
        Map<String, Object> rouge1 = (Map<String, Object>) json.get("rouge1");
        assertThat(rouge1.keySet()).containsExactly("precision", "recall", "f1");
        assertThatThrownBy(() -> json.put("extra", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> rouge1.put("extra", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void shouldRejectBadInputWithMessagesThatSayWhere() {
        TaskMetrics.Options options = TaskMetrics.Options.defaults();
        List<String> withNull = new ArrayList<>(Arrays.asList("a", null));

        assertThatThrownBy(() -> TaskMetrics.score(List.of(), List.of(), options))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no predictions");
        assertThatThrownBy(() -> TaskMetrics.score(List.of("a", "b"), List.of(List.of("a")), options))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 2 predictions but 1");
        assertThatThrownBy(() -> TaskMetrics.score(withNull, List.of(List.of("a"), List.of("b")), options))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("predictions[1] is null");
        assertThatThrownBy(() -> TaskMetrics.score(List.of("a"), List.of(List.of("a")), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("options");
    }

    private static double meanOf(String variant, String field) {
        return PAIRS.stream().mapToDouble(pair -> pair.rouge(variant, field)).average().orElseThrow();
    }
}
