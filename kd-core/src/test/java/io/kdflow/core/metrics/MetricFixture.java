package io.kdflow.core.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The golden metric fixture {@code metrics/metric_reference.json} (sacrebleu 2.6.0, torchmetrics ROUGE). */
final class MetricFixture {

    private static final String RESOURCE = "/metrics/metric_reference.json";
    private static final JsonNode ROOT = load();

    private MetricFixture() {
    }

    /** One hypothesis/reference pair and its expected per-pair scores. */
    record Pair(int index, String kind, String hyp, String ref, JsonNode expected) {

        double sentenceBleu() {
            return expected.get("sentence_bleu_effective_order").asDouble();
        }

        double chrf() {
            return expected.get("chrf").asDouble();
        }

        double rouge(String variant, String field) {
            return expected.get("rouge").get(variant + "_" + field).asDouble();
        }

        @Override
        public String toString() {
            return "#" + index + " " + kind + " \"" + hyp + "\" vs \"" + ref + "\"";
        }
    }

    static JsonNode root() {
        return ROOT;
    }

    static List<Pair> pairs() {
        List<Pair> pairs = new ArrayList<>();
        JsonNode nodes = ROOT.get("pairs");
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode node = nodes.get(i);
            pairs.add(new Pair(i, node.get("kind").asText(), node.get("hyp").asText(), node.get("ref").asText(), node));
        }
        return pairs;
    }

    static List<String> hypotheses(List<Pair> pairs) {
        return pairs.stream().map(Pair::hyp).toList();
    }

    static List<List<String>> singleReferences(List<Pair> pairs) {
        return pairs.stream().map(pair -> List.of(pair.ref())).toList();
    }

    private static JsonNode load() {
        try (InputStream in = MetricFixture.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + RESOURCE);
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
