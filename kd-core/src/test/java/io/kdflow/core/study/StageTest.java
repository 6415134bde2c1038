package io.kdflow.core.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdflow.core.error.BadInputException;
import org.junit.jupiter.api.Test;

class StageTest {

    @Test
    void shouldReadListsRangesAndAll() {
        assertThat(Stage.parse("S3,S7,S8")).containsExactly(Stage.S3, Stage.S7, Stage.S8);
        assertThat(Stage.parse("s1..s3, S8")).containsExactly(Stage.S1, Stage.S2, Stage.S3, Stage.S8);
        assertThat(Stage.parse("all")).hasSize(8);
        assertThat(Stage.parse("S1..S8")).hasSize(8);
        assertThat(Stage.format(Stage.parse("S8,S3"))).isEqualTo("S3,S8");
    }

    @Test
    void shouldNameWhatIsNotAStage() {
        assertThatThrownBy(() -> Stage.parse("S3,S9")).isInstanceOf(BadInputException.class)
                .hasMessageStartingWith("--stages S3,S9: 'S9' is not a stage");
        assertThatThrownBy(() -> Stage.parse("S5..S2")).isInstanceOf(BadInputException.class)
                .hasMessage("--stages S5..S2: S5..S2 runs backwards");
    }
}
