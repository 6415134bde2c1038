package io.kdflow.core.local;

import java.util.Map;
import java.util.TreeMap;

/**
 * One reported model's numbers.
 *
 * @param role what it is
 * @param dir its Hugging Face directory; empty for the copy baseline
 * @param step the optimizer step of the selected checkpoint (0 for the teacher and the copy baseline)
 * @param dev dev metrics of that checkpoint
 * @param test test metrics, with {@code params} and, when measured, {@code latency_ms_p50} / {@code _p90}
 */
public record RoleResult(Role role, String dir, long step, Map<String, Double> dev, Map<String, Double> test) {

    public RoleResult {
        dev = new TreeMap<>(dev);
        test = new TreeMap<>(test);
    }
}
