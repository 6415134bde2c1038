package io.kdflow.core.pretrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PoissonTest {

    private static final int DRAWS = 200_000;

    @Test
    void shouldDrawPoissonMeanVarianceAndProbabilitiesWhenLambdaIsThree() {
        SplittableRandom random = new SplittableRandom(7);
        long[] counts = new long[40];
        double sum = 0;
        double squares = 0;
        for (int i = 0; i < DRAWS; i++) {
            int k = Poisson.sample(random, 3.0);
            counts[k]++;
            sum += k;
            squares += (double) k * k;
        }
        double mean = sum / DRAWS;
        double variance = squares / DRAWS - mean * mean;
        // Standard errors at 200k draws: mean 0.004, variance about 0.01, P(k) below 0.0011.
        assertThat(mean).isCloseTo(3.0, within(0.02));
        assertThat(variance).isCloseTo(3.0, within(0.06));
        double factorial = 1;
        for (int k = 0; k <= 8; k++) {
            factorial *= Math.max(k, 1);
            double expected = Math.exp(-3.0) * Math.pow(3.0, k) / factorial;
            assertThat((double) counts[k] / DRAWS).as("P(%d)", k).isCloseTo(expected, within(0.005));
        }
    }

    @Test
    void shouldFollowTheMeanForSmallAndLargeLambdas() {
        SplittableRandom random = new SplittableRandom(11);
        for (double lambda : new double[] {0.2, 1.0, 12.0}) {
            double sum = 0;
            for (int i = 0; i < DRAWS; i++) {
                sum += Poisson.sample(random, lambda);
            }
            assertThat(sum / DRAWS).as("lambda %s", lambda).isCloseTo(lambda, within(0.05));
        }
    }

    @Test
    void shouldRejectLambdaOutsideItsRange() {
        SplittableRandom random = new SplittableRandom(1);
        assertThatThrownBy(() -> Poisson.sample(random, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lambda must be in (0, 100.0], got 0.0");
        assertThatThrownBy(() -> Poisson.sample(random, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Poisson.sample(random, 101)).isInstanceOf(IllegalArgumentException.class);
    }
}
