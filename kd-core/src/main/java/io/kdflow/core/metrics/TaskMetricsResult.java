package io.kdflow.core.metrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The corpus scores {@link TaskMetrics#score} returns; every score is on a 0-100 scale.
 *
 * @param n pairs scored
 * @param dropped pairs dropped as empty (always 0 unless {@link TaskMetrics.Options#dropEmpty()})
 * @param bleu corpus BLEU with its n-gram statistics, brevity penalty and lengths
 * @param chrf corpus chrF
 * @param ter corpus TER (lower is better)
 * @param rouge1 mean ROUGE-1 precision, recall and F1 over pairs
 * @param rouge2 mean ROUGE-2 precision, recall and F1 over pairs
 * @param rougeL mean ROUGE-L precision, recall and F1 over pairs
 * @param rouge the paper's ROUGE: mean of the three mean F1s
 * @param options how the scores were computed
 */
public record TaskMetricsResult(int n, int dropped, BleuScore bleu, double chrf, TerScore ter, RougeScore rouge1,
        RougeScore rouge2, RougeScore rougeL, double rouge, TaskMetrics.Options options) {

    /**
     * The result when every pair was dropped: the worst value of each metric (0, and 100 for TER), so that
     * no model-selection rule prefers a model whose predictions are all empty.
     */
    static TaskMetricsResult nothingScored(int dropped, TaskMetrics.Options options) {
        BleuScore zeroBleu = Bleu.fromStatistics(BleuStatistics.zero(Bleu.MAX_NGRAM_ORDER), false);
        RougeScore zero = RougeScore.ZERO;
        return new TaskMetricsResult(0, dropped, zeroBleu, 0.0, new TerScore(100.0, 0, 0.0), zero, zero, zero, 0.0,
                options);
    }

    /**
     * The result as nested maps with a fixed key order, ready for a JSON writer: {@code n}, {@code dropped},
     * {@code bleu}, {@code chrf}, {@code ter}, {@code rouge}, {@code rouge1}, {@code rouge2}, {@code rougeL}
     * (each {@code precision}, {@code recall}, {@code f1}), {@code bleu_details}, {@code ter_details},
     * {@code options}.
     */
    public Map<String, Object> toJsonMap() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("n", n);
        json.put("dropped", dropped);
        json.put("bleu", bleu.score());
        json.put("chrf", chrf);
        json.put("ter", ter.score());
        json.put("rouge", rouge);
        json.put("rouge1", rougeMap(rouge1));
        json.put("rouge2", rougeMap(rouge2));
        json.put("rougeL", rougeMap(rougeL));
        Map<String, Object> bleuDetails = new LinkedHashMap<>();
        bleuDetails.put("counts", List.copyOf(bleu.counts()));
        bleuDetails.put("totals", List.copyOf(bleu.totals()));
        bleuDetails.put("precisions", List.copyOf(bleu.precisions()));
        bleuDetails.put("bp", bleu.bp());
        bleuDetails.put("sys_len", bleu.sysLen());
        bleuDetails.put("ref_len", bleu.refLen());
        json.put("bleu_details", Collections.unmodifiableMap(bleuDetails));
        Map<String, Object> terDetails = new LinkedHashMap<>();
        terDetails.put("num_edits", ter.numEdits());
        terDetails.put("ref_length", ter.refLength());
        json.put("ter_details", Collections.unmodifiableMap(terDetails));
        Map<String, Object> optionMap = new LinkedHashMap<>();
        optionMap.put("drop_empty", options.dropEmpty());
        optionMap.put("rouge_stemming", options.rougeStemming());
        json.put("options", Collections.unmodifiableMap(optionMap));
        return Collections.unmodifiableMap(json);
    }

    private static Map<String, Object> rougeMap(RougeScore score) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("precision", score.precision());
        map.put("recall", score.recall());
        map.put("f1", score.fmeasure());
        return Collections.unmodifiableMap(map);
    }
}
