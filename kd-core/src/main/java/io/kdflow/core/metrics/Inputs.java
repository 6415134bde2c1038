package io.kdflow.core.metrics;

import java.util.List;

/** Argument checks with messages that name the offending list and index. */
final class Inputs {

    private Inputs() {
    }

    /** Checks that every hypothesis has at least one reference and nothing is null. */
    static void checkCorpus(List<String> hypotheses, List<List<String>> references) {
        checkCorpus(hypotheses, references, "hypotheses");
    }

    /**
     * Checks that every entry of {@code hypotheses} has at least one reference and nothing is null; messages
     * call the first list {@code hypothesesName}.
     */
    static void checkCorpus(List<String> hypotheses, List<List<String>> references, String hypothesesName) {
        if (hypotheses == null || references == null) {
            throw new IllegalArgumentException(hypothesesName + " and references must not be null");
        }
        if (hypotheses.size() != references.size()) {
            throw new IllegalArgumentException("got " + hypotheses.size() + " " + hypothesesName + " but "
                    + references.size() + " reference lists: there must be one reference list per entry of "
                    + hypothesesName);
        }
        for (int i = 0; i < hypotheses.size(); i++) {
            if (hypotheses.get(i) == null) {
                throw new IllegalArgumentException(hypothesesName + "[" + i + "] is null");
            }
            checkReferences(references.get(i), "references[" + i + "]");
        }
    }

    /** Checks one sentence's hypothesis and references. */
    static void checkSentence(String hypothesis, List<String> references) {
        if (hypothesis == null) {
            throw new IllegalArgumentException("hypothesis is null");
        }
        checkReferences(references, "references");
    }

    private static void checkReferences(List<String> references, String where) {
        if (references == null || references.isEmpty()) {
            throw new IllegalArgumentException(where + " is " + (references == null ? "null" : "empty")
                    + ": every hypothesis needs at least one reference (an empty string is allowed)");
        }
        for (int j = 0; j < references.size(); j++) {
            if (references.get(j) == null) {
                throw new IllegalArgumentException(where + "[" + j + "] is null");
            }
        }
    }
}
