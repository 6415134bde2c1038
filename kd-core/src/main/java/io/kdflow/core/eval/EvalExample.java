package io.kdflow.core.eval;

import java.util.List;

/** One evaluation input with its gold references (at least one; the first is the NLL target). */
public record EvalExample(String id, String source, List<String> references) {

    public EvalExample {
        references = List.copyOf(references);
        if (references.isEmpty()) {
            throw new IllegalArgumentException("example " + id + " has no reference");
        }
    }
}
