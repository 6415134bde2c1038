package io.kdflow.core.study;

import io.kdflow.core.error.BadInputException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The paper's eight stages (Figure 1), run greedily in this order: the chosen option of each carries into the
 * next. S1 and S2 compare students fine-tuned on gold (the run's CE baseline); S3 to S8 compare distilled
 * students by the fraction of the teacher-student gap they close.
 */
public enum Stage {
    S1("architecture", false),
    S2("pruning", false),
    S3("objective", true),
    S4("pseudo-targets", true),
    S5("unlabeled inputs", true),
    S6("number of PTs", true),
    S7("PT decoding", true),
    S8("Joint-Teaching", true);

    private final String title;
    private final boolean distills;

    Stage(String title, boolean distills) {
        this.title = title;
        this.distills = distills;
    }

    public String title() {
        return title;
    }

    /** True when the stage's options are distilled students (gap closed); false for fine-tuned students. */
    public boolean distills() {
        return distills;
    }

    /**
     * The stages of a {@code --stages} value: {@code S1..S8}, {@code S3,S7,S8} or {@code S2..S4,S8}; empty or
     * {@code all} means every stage.
     *
     * @throws BadInputException naming the part that is not a stage or a range
     */
    public static Set<Stage> parse(String text) {
        if (text == null || text.isBlank() || text.strip().equalsIgnoreCase("all")) {
            return EnumSet.allOf(Stage.class);
        }
        Set<Stage> stages = EnumSet.noneOf(Stage.class);
        for (String part : text.split(",")) {
            String p = part.strip().toUpperCase(Locale.ROOT);
            int range = p.indexOf("..");
            if (range >= 0) {
                Stage from = one(p.substring(0, range), text);
                Stage to = one(p.substring(range + 2), text);
                if (to.ordinal() < from.ordinal()) {
                    throw new BadInputException("--stages " + text + ": " + part.strip() + " runs backwards");
                }
                stages.addAll(EnumSet.range(from, to));
            } else {
                stages.add(one(p, text));
            }
        }
        return stages;
    }

    /** The stages in order, as {@code S3,S7,S8}. */
    public static String format(Set<Stage> stages) {
        List<String> names = new ArrayList<>();
        stages.forEach(s -> names.add(s.name()));
        return String.join(",", names);
    }

    private static Stage one(String name, String text) {
        try {
            return Stage.valueOf(name.strip());
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--stages " + text + ": '" + name.strip() + "' is not a stage (S1 to S8,"
                    + " a list such as S3,S7,S8 or a range such as S1..S8)", e);
        }
    }
}
