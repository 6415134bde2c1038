package io.kdflow.service;

import io.kdflow.core.error.BadInputException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The rules a service's {@code @ConfigMapping} values must follow, checked once at start-up. SmallRye Config
 * already rejects a value of the wrong type; these rules add the ranges and choices, and every broken one is
 * reported as {@code <key>: <value> is not allowed (<rule>)}, so the operator knows which line to fix.
 *
 * <pre>{@code
 * new SettingRules()
 *         .atLeast("evaluator.batch-size", config.batchSize(), 1)
 *         .oneOf("evaluator.selection-metric", config.selectionMetric(), MetricNames.SELECTABLE)
 *         .check();
 * }</pre>
 */
public final class SettingRules {

    private final List<String> broken = new ArrayList<>();

    /** {@code value >= min}. */
    public SettingRules atLeast(String key, long value, long min) {
        return rule(key, value, value >= min, "must be >= " + min);
    }

    /** {@code min <= value <= max}. */
    public SettingRules between(String key, long value, long min, long max) {
        return rule(key, value, value >= min && value <= max, "must be from " + min + " to " + max);
    }

    /** A duration longer than zero. */
    public SettingRules positive(String key, Duration value) {
        return rule(key, value, !value.isNegative() && !value.isZero(), "must be longer than 0");
    }

    /** One of {@code allowed} (exact spelling). */
    public SettingRules oneOf(String key, String value, Collection<String> allowed) {
        return rule(key, "'" + value + "'", allowed.contains(value), "one of " + String.join(", ", allowed));
    }

    /** Any other rule: {@code holds} says whether {@code value} follows {@code rule}. */
    public SettingRules rule(String key, Object value, boolean holds, String rule) {
        if (!holds) {
            broken.add(key + ": " + value + " is not allowed (" + rule + ")");
        }
        return this;
    }

    /** The broken rules, in the order they were checked. */
    public List<String> broken() {
        return List.copyOf(broken);
    }

    /**
     * Passes when every rule holds.
     *
     * @throws BadInputException listing every broken rule, separated by {@code "; "}
     */
    public void check() {
        if (!broken.isEmpty()) {
            throw new BadInputException(String.join("; ", broken));
        }
    }
}
