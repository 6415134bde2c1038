package io.kdflow.core.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * The number of TER edits (word shifts plus beam edit distance) for one hypothesis and one reference,
 * following sacrebleu's tercom re-implementation ({@code translation_edit_rate} in {@code lib_ter.py}).
 *
 * <p>Greedy shifting: repeatedly apply the shift that lowers the edit distance most, ranking candidates by
 * (gain, longer shift, earlier hypothesis start, earlier target), until no shift helps. Candidate shifts are
 * matching word runs of at most 10 words whose start positions differ by at most 50, where the hypothesis
 * run is not fully correct, the reference run is not fully matched, and the target lies outside the run.
 * After 1000 evaluated candidates in total the search stops (without applying the shift found last), as
 * sacrebleu does.
 */
final class TranslationEditRate {

    private static final int MAX_SHIFT_SIZE = 10;
    private static final int MAX_SHIFT_DIST = 50;
    private static final int MAX_SHIFT_CANDIDATES = 1000;

    private final List<String> reference;
    private final BeamEditDistance editDistance;
    private int checkedCandidates;

    private TranslationEditRate(List<String> reference) {
        this.reference = reference;
        this.editDistance = new BeamEditDistance(reference);
    }

    /** Edits needed to turn {@code hypothesis} into {@code reference}; all hypothesis words when the reference is empty. */
    static int numEdits(List<String> hypothesis, List<String> reference) {
        if (reference.isEmpty()) {
            return hypothesis.size();
        }
        return new TranslationEditRate(reference).shiftAndMeasure(hypothesis);
    }

    private int shiftAndMeasure(List<String> hypothesis) {
        List<String> words = hypothesis;
        int shifts = 0;
        while (true) {
            Shift best = bestShift(words);
            if (checkedCandidates >= MAX_SHIFT_CANDIDATES || best == null || best.gain <= 0) {
                break;
            }
            shifts++;
            words = best.words;
        }
        return shifts + editDistance.compute(words).distance();
    }

    /** A candidate shift with the fields tercom ranks it by. */
    private record Shift(int gain, int length, int start, int target, List<String> words) {

        boolean beats(Shift other) {
            if (other == null) {
                return true;
            }
            if (gain != other.gain) {
                return gain > other.gain;
            }
            if (length != other.length) {
                return length > other.length;
            }
            if (start != other.start) {
                return start < other.start;
            }
            return target < other.target;
        }
    }

    private Shift bestShift(List<String> words) {
        BeamEditDistance.Result current = editDistance.compute(words);
        Alignment alignment = Alignment.fromTrace(flip(current.trace()), words.size(), reference.size());
        Shift best = null;
        for (int startH = 0; startH < words.size() && checkedCandidates < MAX_SHIFT_CANDIDATES; startH++) {
            for (int startR = 0; startR < reference.size(); startR++) {
                if (Math.abs(startR - startH) > MAX_SHIFT_DIST) {
                    continue;
                }
                int length = 0;
                while (length < MAX_SHIFT_SIZE && words.get(startH + length).equals(reference.get(startR + length))) {
                    length++;
                    best = tryShift(words, current.distance(), alignment, startH, startR, length, best);
                    if (checkedCandidates >= MAX_SHIFT_CANDIDATES) {
                        return best;
                    }
                    if (startH + length == words.size() || startR + length == reference.size()) {
                        break;
                    }
                }
            }
        }
        return best;
    }

    private Shift tryShift(List<String> words, int distance, Alignment alignment, int startH, int startR,
            int length, Shift best) {
        if (!alignment.anyHypothesisError(startH, length) || !alignment.anyReferenceError(startR, length)) {
            return best;
        }
        int alignedStart = alignment.hypothesisIndexOf(startR);
        if (startH <= alignedStart && alignedStart < startH + length) {
            return best;
        }
        int previousTarget = -1;
        for (int offset = -1; offset < length; offset++) {
            int target;
            if (startR + offset == -1) {
                target = 0;
            } else if (startR + offset < reference.size()) {
                target = alignment.hypothesisIndexOf(startR + offset) + 1;
            } else {
                break;
            }
            if (target == previousTarget) {
                continue;
            }
            previousTarget = target;
            List<String> shifted = shift(words, startH, length, target);
            Shift candidate = new Shift(distance - editDistance.compute(shifted).distance(), length, startH, target,
                    shifted);
            checkedCandidates++;
            if (candidate.beats(best)) {
                best = candidate;
            }
        }
        return best;
    }

    /** Moves {@code words[start, start + length)} so that it begins before index {@code target}. */
    static List<String> shift(List<String> words, int start, int length, int target) {
        int n = words.size();
        List<String> out = new ArrayList<>(n);
        if (target < start) {
            out.addAll(words.subList(0, target));
            out.addAll(words.subList(start, start + length));
            out.addAll(words.subList(target, start));
            out.addAll(words.subList(start + length, n));
        } else if (target > start + length) {
            out.addAll(words.subList(0, start));
            out.addAll(words.subList(start + length, target));
            out.addAll(words.subList(start, start + length));
            out.addAll(words.subList(target, n));
        } else {
            // Python slices clamp at the end; Math.min reproduces that.
            int middleEnd = Math.min(n, length + target);
            out.addAll(words.subList(0, start));
            out.addAll(words.subList(Math.min(start + length, middleEnd), middleEnd));
            out.addAll(words.subList(start, start + length));
            out.addAll(words.subList(middleEnd, n));
        }
        return out;
    }

    /** Swaps insertions and deletions: a recipe for rewriting the reference into the hypothesis. */
    private static String flip(String trace) {
        char[] ops = trace.toCharArray();
        for (int k = 0; k < ops.length; k++) {
            if (ops[k] == BeamEditDistance.INSERT) {
                ops[k] = BeamEditDistance.DELETE;
            } else if (ops[k] == BeamEditDistance.DELETE) {
                ops[k] = BeamEditDistance.INSERT;
            }
        }
        return new String(ops);
    }

    /** Which words are wrong and where each reference word sits in the hypothesis, read off a flipped trace. */
    private static final class Alignment {

        private final int[] hypothesisIndex;
        private final boolean[] hypothesisError;
        private final boolean[] referenceError;

        private Alignment(int[] hypothesisIndex, boolean[] hypothesisError, boolean[] referenceError) {
            this.hypothesisIndex = hypothesisIndex;
            this.hypothesisError = hypothesisError;
            this.referenceError = referenceError;
        }

        static Alignment fromTrace(String trace, int hypothesisLength, int referenceLength) {
            int[] index = new int[referenceLength];
            boolean[] hypError = new boolean[hypothesisLength];
            boolean[] refError = new boolean[referenceLength];
            int posH = -1;
            int posR = -1;
            for (int k = 0; k < trace.length(); k++) {
                char operation = trace.charAt(k);
                if (operation == BeamEditDistance.NOOP || operation == BeamEditDistance.SUBSTITUTE) {
                    boolean error = operation == BeamEditDistance.SUBSTITUTE;
                    posH++;
                    posR++;
                    index[posR] = posH;
                    hypError[posH] = error;
                    refError[posR] = error;
                } else if (operation == BeamEditDistance.INSERT) {
                    posH++;
                    hypError[posH] = true;
                } else {
                    posR++;
                    index[posR] = posH;
                    refError[posR] = true;
                }
            }
            return new Alignment(index, hypError, refError);
        }

        int hypothesisIndexOf(int referencePosition) {
            return hypothesisIndex[referencePosition];
        }

        boolean anyHypothesisError(int start, int length) {
            return any(hypothesisError, start, length);
        }

        boolean anyReferenceError(int start, int length) {
            return any(referenceError, start, length);
        }

        private static boolean any(boolean[] flags, int start, int length) {
            int end = Math.min(flags.length, start + length);
            for (int k = start; k < end; k++) {
                if (flags[k]) {
                    return true;
                }
            }
            return false;
        }
    }
}
