package io.kdflow.core.decoding;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdflow.core.model.config.GenerationConfig.EarlyStopping;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * transformers' beam bookkeeping on hand-made candidates (2 beams, EOS = 2): which candidates finish,
 * their length-normalised scores, and when each early_stopping mode declares an input done.
 */
class BeamHypothesesTest {

    private static final long EOS = 2;

    @Test
    void shouldFinishOnlyStoppingCandidatesAmongTheBestNumBeams() {
        BeamHypotheses beams = beams(EarlyStopping.TRUE, 1.0);
        // step 0: the best candidate is EOS; the 3rd (EOS too) is outside the best num_beams and is ignored
        beams.advance(candidates(-0.1f, EOS, -0.5f, 7, -0.7f, EOS, -0.9f, 8), 0);
        assertThat(scores(beams)).containsExactly(-0.1f);
        assertThat(beams.width()).isEqualTo(2);
        assertThat(beams.runningScore(0)).isEqualTo(-0.5f);
        assertThat(beams.runningScore(1)).isEqualTo(-0.9f);
        assertThat(beams.done()).isFalse();
        // step 1: length 2 normalises -1.0 to -0.5; with two finished and early_stopping=true it is done
        beams.advance(candidates(-1.0f, EOS, -1.2f, 9, -1.3f, 4, -2f, 5), 1);
        assertThat(scores(beams)).containsExactly(-0.1f, -0.5f);
        assertThat(beams.done()).isTrue();
    }

    @Test
    void shouldStopWithEarlyStoppingFalseWhenNoRunningBeamCanBeatTheWorstFinished() {
        BeamHypotheses beams = beams(EarlyStopping.FALSE, 1.0);
        beams.advance(candidates(-0.2f, EOS, -0.3f, EOS, -0.8f, 7, -1.0f, 8), 0); // both slots full
        // best running -0.8 / 1 > worst finished -0.3? no: done at once
        assertThat(scores(beams)).containsExactly(-0.2f, -0.3f);
        assertThat(beams.done()).isTrue();

        BeamHypotheses open = beams(EarlyStopping.FALSE, 1.0);
        open.advance(candidates(-0.2f, EOS, -0.25f, 7, -0.3f, EOS, -1.0f, 8), 0); // only -0.2 finishes
        open.advance(candidates(-0.5f, EOS, -0.55f, 9, -1.5f, 4, -2f, 5), 1);     // -0.5 / 2 = -0.25 finishes
        // best running -0.55 / 2 = -0.275 < worst finished -0.25: nothing can improve
        assertThat(scores(open)).containsExactly(-0.2f, -0.25f);
        assertThat(open.done()).isTrue();
    }

    @Test
    void shouldKeepGoingWithEarlyStoppingNeverWhileTheMaximumLengthCouldStillWin() {
        BeamHypotheses never = beams(EarlyStopping.NEVER, 1.0);
        never.advance(candidates(-0.2f, EOS, -0.3f, EOS, -0.8f, 7, -1.0f, 8), 0);
        // best running -0.8 / max_new_tokens 10 = -0.08 > -0.3: a long continuation could still win
        assertThat(never.done()).isFalse();
        BeamHypotheses negative = beams(EarlyStopping.NEVER, -1.0);
        negative.advance(candidates(-0.2f, EOS, -0.3f, EOS, -0.8f, 7, -1.0f, 8), 0);
        // a negative length penalty uses the current length, like false: -0.8 * 1 < -0.3
        assertThat(negative.done()).isTrue();
    }

    private static BeamHypotheses beams(EarlyStopping earlyStopping, double lengthPenalty) {
        return new BeamHypotheses(GenerationSettings.greedy(10).toBuilder().numBeams(2).earlyStopping(earlyStopping)
                .lengthPenalty(lengthPenalty).build());
    }

    /** Pairs (score, token), best first, all extending beam 0. */
    private static List<BeamCandidate> candidates(Object... scoreTokenPairs) {
        List<BeamCandidate> list = new ArrayList<>();
        for (int i = 0; i < scoreTokenPairs.length; i += 2) {
            float score = (Float) scoreTokenPairs[i];
            long token = ((Number) scoreTokenPairs[i + 1]).longValue();
            list.add(new BeamCandidate(0, BeamNode.after(null, token, score, null, null), score, token == EOS));
        }
        return list;
    }

    /** Finished scores, best first, as floats (the bookkeeping is float32 like transformers'). */
    private static List<Float> scores(BeamHypotheses beams) {
        DecodingTokens tokens = new DecodingTokens(0, new long[] {EOS}, 1, 0, null, null);
        return beams.best(2, tokens, 10).stream().map(h -> (float) h.score()).toList();
    }
}
