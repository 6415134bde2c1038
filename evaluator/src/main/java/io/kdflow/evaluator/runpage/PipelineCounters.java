package io.kdflow.evaluator.runpage;

import io.kdflow.service.DeadLetterPublisher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The evaluator's view of the pipeline, read from the same Micrometer counters {@code /q/metrics} exports: records
 * it consumed by outcome ({@code kdflow_evaluator_records_total}), the dead letters it routed away by topic and
 * reason ({@code kdflow_dead_letters_total{service="evaluator"}}), and the reports it holds.
 */
@ApplicationScoped
public class PipelineCounters {

    /** Micrometer name of the RecordGate counter of this service. */
    static final String RECORDS = "kdflow.evaluator.records";
    static final String SERVICE = "evaluator";

    private final MeterRegistry registry;
    private final RunBoard board;

    public PipelineCounters(MeterRegistry registry, RunBoard board) {
        this.registry = registry;
        this.board = board;
    }

    public JsonObject json() {
        Map<String, Long> records = new TreeMap<>();
        for (Counter counter : registry.find(RECORDS).counters()) {
            records.merge(counter.getId().getTag("outcome"), (long) counter.count(), Long::sum);
        }
        List<Counter> letters = registry.find(DeadLetterPublisher.METRIC).tag("service", SERVICE).counters().stream()
                .sorted(Comparator.comparing((Counter c) -> c.getId().getTag("topic"))
                        .thenComparing(c -> c.getId().getTag("reason")))
                .toList();
        JsonArray deadLetters = new JsonArray();
        for (Counter counter : letters) {
            deadLetters.add(new JsonObject().put("topic", counter.getId().getTag("topic"))
                    .put("reason", counter.getId().getTag("reason")).put("count", (long) counter.count()));
        }
        JsonObject out = new JsonObject();
        out.put("records", new JsonObject(new TreeMap<String, Object>(records)));
        out.put("dead_letters", deadLetters);
        out.put("dead_letters_total", letters.stream().mapToLong(c -> (long) c.count()).sum());
        out.put("reports", board.reports());
        return out;
    }
}
