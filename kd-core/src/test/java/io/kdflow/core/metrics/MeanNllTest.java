package io.kdflow.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MeanNllTest {

    @Test
    void shouldWeightTokensOrExamplesAsAsked() {
        MeanNll nll = new MeanNll().add(2.0, 1).add(3.0, 3);

        assertThat(nll.tokenWeightedMean()).isCloseTo(5.0 / 4, within(1e-15));
        assertThat(nll.perExampleMean()).isCloseTo((2.0 + 1.0) / 2, within(1e-15));
        assertThat(nll.tokens()).isEqualTo(4);
        assertThat(nll.examples()).isEqualTo(2);
    }

    @Test
    void shouldMergeAccumulatorsIntoTheSameMeans() {
        MeanNll whole = new MeanNll().add(1.5, 2).add(0.5, 5).add(4.0, 1);
        MeanNll merged = new MeanNll().add(1.5, 2).merge(new MeanNll().add(0.5, 5).add(4.0, 1));

        assertThat(merged.tokenWeightedMean()).isEqualTo(whole.tokenWeightedMean());
        assertThat(merged.perExampleMean()).isCloseTo(whole.perExampleMean(), within(1e-15));
    }

    @Test
    void shouldRejectImpossibleExamplesAndEmptyMeans() {
        MeanNll nll = new MeanNll();

        assertThatThrownBy(() -> nll.add(1.0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tokenCount 0");
        assertThatThrownBy(() -> nll.add(Double.NaN, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> nll.add(-0.1, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(nll::tokenWeightedMean).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no examples");
    }
}
