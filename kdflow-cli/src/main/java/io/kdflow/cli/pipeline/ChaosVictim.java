package io.kdflow.cli.pipeline;

import io.kdflow.cli.UserError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** A process {@code ./kdflow chaos} kills: one of the four services (by module) or the broker. */
enum ChaosVictim {
    SAMPLER("sampler", "pt-sampler"),
    TEACHER("teacher", "teacher-service"),
    TRAINER("trainer", "student-trainer"),
    EVALUATOR("evaluator", "evaluator"),
    BROKER("broker", "kafka");

    private final String label;
    private final String module;

    ChaosVictim(String label, String module) {
        this.label = label;
        this.module = module;
    }

    /** The name on the command line and in the table. */
    String label() {
        return label;
    }

    /** The service's module (its log is {@code logs/<module>.log}); {@code kafka} for the broker. */
    String module() {
        return module;
    }

    /**
     * Parses {@code sampler,teacher,trainer,evaluator,broker} (any subset, in any order; the matrix keeps this
     * order).
     *
     * @throws UserError naming the unknown name and the allowed ones
     */
    static List<ChaosVictim> parse(String names) {
        List<ChaosVictim> victims = new ArrayList<>();
        for (String name : names.split(",", -1)) {
            String wanted = name.trim().toLowerCase(Locale.ROOT);
            ChaosVictim victim = Arrays.stream(values()).filter(v -> v.label.equals(wanted)).findFirst()
                    .orElseThrow(() -> new UserError("--processes " + names + ": '" + name + "' is not a process"
                            + " (one or more of sampler, teacher, trainer, evaluator, broker, comma-separated)"));
            if (!victims.contains(victim)) {
                victims.add(victim);
            }
        }
        victims.sort(null);
        return victims;
    }
}
