package io.kdflow.core.train.objective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.train.CrossEntropyObjective;
import io.kdflow.core.train.TrainingBatch;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attention-relation KD's resume state ({@link AttentionRelationObjective#state}): the calibrated loss scales
 * survive a save and restore exactly, and a state of another objective is refused.
 */
class AttentionRelationStateTest {

    @TempDir
    static Path temp;

    private static ObjectiveFixture fixture;

    @BeforeAll
    static void load() throws Exception {
        fixture = new ObjectiveFixture(temp);
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    @Test
    void shouldRestoreTheCalibratedScalesExactly() {
        TrainingBatch batch = fixture.batch();
        try (NDManager manager = fixture.manager.newSubManager()) {
            AttentionRelationObjective calibrated = objective(2);
            assertThat(calibrated.calibrate(manager, List.of(batch, batch, batch))).as("N = 2 of 3 batches")
                    .isEqualTo(2);
            JsonNode state = calibrated.state().orElseThrow();
            assertThat(state.path("observed").asInt()).isEqualTo(2);

            AttentionRelationObjective resumed = objective(2);
            resumed.restoreState(state);

            assertThat(resumed.scales()).containsExactly(calibrated.scales());
            assertThat(resumed.state()).contains(state);
            assertThat(resumed.scales()).as("calibrated, unlike a fresh objective's")
                    .isNotEqualTo(objective(2).scales());
            float after = resumed.loss(manager, batch, 0).getFloat();
            assertThat(resumed.scales()).as("fixed scales do not move in training").containsExactly(calibrated.scales());
            assertThat(after).isEqualTo(calibrated.loss(manager, batch, 0).getFloat());
        }
    }

    @Test
    void shouldRefuseTheStateOfAnotherObjective() {
        JsonNode state = objective(2).state().orElseThrow();

        assertThatThrownBy(() -> objective(3).restoreState(state)).isInstanceOf(BadInputException.class)
                .hasMessage("the loss scales " + state + " are not of this objective (terms [logits, encoder_self.q,"
                        + " encoder_self.k, encoder_self.v, decoder_self.q, decoder_self.k, decoder_self.v,"
                        + " decoder_cross.q, decoder_cross.k, decoder_cross.v], 3 scale batches)");
        assertThat(new CrossEntropyObjective(fixture.student).state()).isEmpty();
        assertThatThrownBy(() -> new CrossEntropyObjective(fixture.student).restoreState(state))
                .isInstanceOf(BadInputException.class)
                .hasMessage("objective cross-entropy keeps no state, but the checkpoint has " + state);
    }

    private static AttentionRelationObjective objective(int scaleBatches) {
        return new AttentionRelationObjective(fixture.student, fixture.teacher, 1, 0, 0.5, scaleBatches);
    }
}
