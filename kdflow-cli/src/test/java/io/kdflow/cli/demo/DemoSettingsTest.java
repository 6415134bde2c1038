package io.kdflow.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdflow.core.error.BadInputException;
import org.junit.jupiter.api.Test;

/** Every rule of the demo's options, with the exact message the user reads. */
class DemoSettingsTest {

    private static final String TRAIN = "data/shakespeare/train.jsonl";
    private static final String DEV = "data/shakespeare/dev.jsonl";

    @Test
    void shouldDeriveTheScheduleOfTheDefaultProfile() {
        DemoSettings settings = new DemoSettings(1600, 40, 16, 4, 30);

        assertThat(settings.steps()).isEqualTo(100);
        assertThat(settings.checkpointEverySteps()).isEqualTo(25);
        assertThat(settings.expectedCheckpoints()).isEqualTo(4);
        settings.requireFits(TRAIN, 7000, DEV, 750);
    }

    @Test
    void shouldCountTheExtraCheckpointWhenTheCountDoesNotDivideTheSteps() {
        DemoSettings settings = new DemoSettings(400, 4, 16, 4, 30);   // 25 steps, a checkpoint every 6

        assertThat(settings.checkpointEverySteps()).isEqualTo(6);
        assertThat(settings.expectedCheckpoints()).isEqualTo(4);
        assertThat(new DemoSettings(320, 4, 16, 3, 30).expectedCheckpoints()).isEqualTo(3);
        assertThat(new DemoSettings(352, 4, 16, 4, 30).expectedCheckpoints()).isEqualTo(4);
        assertThat(new DemoSettings(320, 4, 16, 8, 30).expectedCheckpoints()).isEqualTo(10);   // 20 steps, every 2
    }

    @Test
    void shouldRejectTooFewStepsForTheWarmUp() {
        assertThatThrownBy(() -> new DemoSettings(160, 40, 16, 4, 30))
                .isInstanceOf(BadInputException.class)
                .hasMessage("--examples 160 with --batch-size 16 makes 10 training steps, fewer than the 20 steps of "
                        + "the learning-rate warm-up: use --examples 320 or more, or a smaller --batch-size");
        assertThat(new DemoSettings(320, 40, 16, 4, 30).steps()).isEqualTo(20);
    }

    @Test
    void shouldRejectABatchLargerThanTheExamples() {
        assertThatThrownBy(() -> new DemoSettings(8, 40, 16, 1, 30))
                .hasMessage("--examples 8 with --batch-size 16 makes 0 training steps, fewer than the 20 steps of "
                        + "the learning-rate warm-up: use --examples 320 or more, or a smaller --batch-size");
    }

    @Test
    void shouldRejectNonPositiveSizes() {
        assertThatThrownBy(() -> new DemoSettings(1600, 40, 0, 4, 30))
                .isInstanceOf(BadInputException.class).hasMessage("--batch-size 0: must be at least 1");
        assertThatThrownBy(() -> new DemoSettings(-5, 40, 16, 4, 30))
                .isInstanceOf(BadInputException.class).hasMessage("--examples -5: must be at least 1");
        assertThatThrownBy(() -> new DemoSettings(1600, 0, 16, 4, 30))
                .isInstanceOf(BadInputException.class).hasMessage("--dev-examples 0: must be at least 1");
        assertThatThrownBy(() -> new DemoSettings(1600, 40, 16, 4, 0))
                .isInstanceOf(BadInputException.class).hasMessage("--timeout-minutes 0: must be at least 1");
    }

    @Test
    void shouldRejectCheckpointsOutsideTheSteps() {
        assertThatThrownBy(() -> new DemoSettings(320, 40, 16, 21, 30))
                .isInstanceOf(BadInputException.class)
                .hasMessage("--checkpoints 21: must be between 1 and the 20 training steps (--examples 320 / "
                        + "--batch-size 16)");
        assertThatThrownBy(() -> new DemoSettings(320, 40, 16, 0, 30))
                .hasMessage("--checkpoints 0: must be between 1 and the 20 training steps (--examples 320 / "
                        + "--batch-size 16)");
        assertThat(new DemoSettings(320, 40, 16, 20, 30).expectedCheckpoints()).isEqualTo(20);
    }

    @Test
    void shouldRejectMoreExamplesThanTheTrainingFileHas() {
        DemoSettings settings = new DemoSettings(8000, 40, 16, 4, 30);

        assertThatThrownBy(() -> settings.requireFits(TRAIN, 7000, DEV, 750))
                .isInstanceOf(BadInputException.class)
                .hasMessage("--examples 8000: data/shakespeare/train.jsonl has 7000 examples; use at most 7000");
        new DemoSettings(7000, 40, 16, 4, 30).requireFits(TRAIN, 7000, DEV, 750);
    }

    @Test
    void shouldRejectMoreDevExamplesThanTheDevFileHas() {
        DemoSettings settings = new DemoSettings(1600, 751, 16, 4, 30);

        assertThatThrownBy(() -> settings.requireFits(TRAIN, 7000, DEV, 750))
                .isInstanceOf(BadInputException.class)
                .hasMessage("--dev-examples 751: data/shakespeare/dev.jsonl has 750 examples; use at most 750");
        new DemoSettings(1600, 750, 16, 4, 30).requireFits(TRAIN, 7000, DEV, 750);
    }
}
