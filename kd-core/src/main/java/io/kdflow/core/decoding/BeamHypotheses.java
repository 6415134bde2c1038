package io.kdflow.core.decoding;

import io.kdflow.core.model.config.GenerationConfig.EarlyStopping;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Beam search state of one input, with {@code transformers}' rules (its vectorised beam search,
 * v4.50 and later): the running beams, the best finished hypotheses (at most num_beams, scored
 * sum(log p) / generated_length^length_penalty), and whether the input is done.
 *
 * <p>Per step: of the 2 x num_beams best candidates (more with several EOS ids), those among the first
 * num_beams that stop may enter the finished set, unless it is already full with early_stopping=true or
 * the early-stop heuristic said no running beam can beat the worst finished one; the best num_beams
 * candidates that do not stop run on. The heuristic compares the best running score, divided by the
 * current generated length^length_penalty (by max_new_tokens^length_penalty for early_stopping="never"
 * with a positive length penalty), with the worst finished score once num_beams are finished.
 */
final class BeamHypotheses {

    private static final float BLOCKED = -1.0e9f; // transformers' "very large negative value"

    private record Finished(BeamNode node, float score) {}

    private final int numBeams;
    private final double lengthPenalty;
    private final EarlyStopping earlyStopping;
    private final int maxNewTokens;
    private final List<Finished> finished = new ArrayList<>();
    private BeamNode[] running = {null};
    private float[] runningScores = {0f};
    private int[] runningParents = {0};
    private boolean improvementPossible = true;
    private boolean done;

    BeamHypotheses(GenerationSettings settings) {
        this.numBeams = settings.numBeams();
        this.lengthPenalty = settings.lengthPenalty();
        this.earlyStopping = settings.earlyStopping();
        this.maxNewTokens = settings.maxNewTokens();
    }

    /** Running beams (1 before the first step, num_beams after). */
    int width() {
        return running.length;
    }

    BeamNode running(int beam) {
        return running[beam];
    }

    float runningScore(int beam) {
        return runningScores[beam];
    }

    /** For each new running beam, the beam of the previous step it extends. */
    int runningParent(int beam) {
        return runningParents[beam];
    }

    boolean done() {
        return done;
    }

    /**
     * Takes one step's candidates, best first by accumulated score.
     *
     * @param step tokens generated before this step (0 for the first)
     */
    void advance(List<BeamCandidate> candidates, int step) {
        addFinished(candidates, step);
        keepRunning(candidates);
        float best = runningScores[0];
        int bestLength = earlyStopping == EarlyStopping.NEVER && lengthPenalty > 0 ? maxNewTokens : step + 1;
        float bestPossible = normalized(best, bestLength);
        float worstFinished = finished.size() == numBeams ? finished.get(numBeams - 1).score() : BLOCKED;
        improvementPossible &= bestPossible > worstFinished;
        done = !improvementPossible || (earlyStopping == EarlyStopping.TRUE && finished.size() == numBeams);
    }

    /** The best {@code count} finished hypotheses, best first. */
    List<Hypothesis> best(int count, DecodingTokens tokens, int vocabSize) {
        List<Hypothesis> result = new ArrayList<>(count);
        for (Finished hypothesis : finished.subList(0, Math.min(count, finished.size()))) {
            BeamNode node = hypothesis.node();
            result.add(node.toHypothesis(hypothesis.score(), tokens.isEos(node.token()), vocabSize));
        }
        return result;
    }

    private void addFinished(List<BeamCandidate> candidates, int step) {
        boolean full = finished.size() == numBeams;
        if ((earlyStopping == EarlyStopping.TRUE && full) || !improvementPossible) {
            return;
        }
        int generatedLength = step + 1;
        boolean added = false;
        for (int j = 0; j < Math.min(numBeams, candidates.size()); j++) {
            BeamCandidate candidate = candidates.get(j);
            if (candidate.stops()) {
                finished.add(new Finished(candidate.node(), normalized(candidate.score(), generatedLength)));
                added = true;
            }
        }
        if (added) { // stable: an earlier hypothesis stays ahead of an equal newcomer
            finished.sort(Comparator.comparingDouble((Finished f) -> f.score()).reversed());
            while (finished.size() > numBeams) {
                finished.remove(finished.size() - 1);
            }
        }
    }

    private void keepRunning(List<BeamCandidate> candidates) {
        List<BeamCandidate> order = new ArrayList<>(candidates); // stopping ones last, as if -1e9 were added
        order.sort(Comparator.comparing(BeamCandidate::stops));
        int width = Math.min(numBeams, order.size());
        running = new BeamNode[width];
        runningScores = new float[width];
        runningParents = new int[width];
        for (int b = 0; b < width; b++) {
            BeamCandidate candidate = order.get(b);
            running[b] = candidate.node();
            runningScores[b] = candidate.stops() ? candidate.score() + BLOCKED : candidate.score();
            runningParents[b] = candidate.beam();
        }
    }

    private float normalized(float score, int length) {
        return (float) (score / Math.pow(length, lengthPenalty));
    }
}
