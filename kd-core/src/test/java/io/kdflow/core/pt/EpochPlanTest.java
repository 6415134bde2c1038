package io.kdflow.core.pt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.pt.EpochPlan.Content;
import io.kdflow.core.pt.EpochPlan.Options;
import io.kdflow.core.train.EpochBatches;
import io.kdflow.core.train.TrainingExample;
import io.kdflow.core.wire.proto.PseudoTarget;
import io.kdflow.core.wire.proto.Split;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The PT rotation: epoch e = every gold pair + PT (e mod K) of every input, shuffled per (seed, e) by its batches. */
class EpochPlanTest {

    private static final int LABELED = 5;
    private static final int UNLABELED = 4;

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5})
    void shouldUsePtEModKOfEveryInputOncePlusAllGold(int k) {
        EpochPlan plan = EpochPlan.of(records(k), new Options(k, Content.GOLD_AND_PTS, true, 42L));

        for (int epoch = 0; epoch < 2 * k + 2; epoch++) {
            List<TrainingExample> examples = plan.epoch(epoch);

            assertThat(examples).hasSize(LABELED + LABELED + UNLABELED);
            Map<String, Integer> ptsPerInput = new HashMap<>();
            List<String> gold = new ArrayList<>();
            for (TrainingExample example : examples) {
                if (example.kind() == PseudoTarget.Kind.GOLD) {
                    gold.add(example.exampleId());
                    assertThat(example.split()).isEqualTo(Split.TRAIN);
                } else {
                    assertThat(example.kind()).isEqualTo(PseudoTarget.Kind.TEACHER);
                    assertThat(example.ptIndex()).as("epoch " + epoch).isEqualTo(epoch % k);
                    assertThat(example.target()).isEqualTo(example.exampleId() + "/TEACHER/" + (epoch % k));
                    ptsPerInput.merge(example.exampleId(), 1, Integer::sum);
                }
            }
            assertThat(gold).containsExactlyInAnyOrder("l0", "l1", "l2", "l3", "l4");
            assertThat(ptsPerInput).hasSize(LABELED + UNLABELED).allSatisfy((id, count) -> assertThat(count).isOne());
        }
    }

    @Test
    void shouldShuffleDeterministicallyPerSeedAndDifferentlyPerEpoch() {
        List<PseudoTarget> records = records(2);
        List<PseudoTarget> reversed = new ArrayList<>(records);
        Collections.reverse(reversed);
        Options options = new Options(2, Content.GOLD_AND_PTS, true, 7L);
        EpochPlan plan = EpochPlan.of(records, options);

        assertThat(ids(plan.epoch(3))).isEqualTo(ids(plan.epoch(3)));
        assertThat(ids(EpochPlan.of(reversed, options).epoch(3))).as("record order does not matter")
                .isEqualTo(ids(plan.epoch(3)));
        List<List<String>> epochs = shuffledEpochs(plan, 4);
        assertThat(epochs).isEqualTo(shuffledEpochs(EpochPlan.of(reversed, options), 4));
        assertThat(epochs.get(2)).as("same content as epoch 0, another order")
                .isNotEqualTo(epochs.get(0))
                .containsExactlyInAnyOrderElementsOf(epochs.get(0));
        assertThat(epochs.get(0)).as("shuffled, not the plan's fixed order").isNotEqualTo(ids(plan.epoch(0)));
        assertThat(shuffledEpochs(EpochPlan.of(records, new Options(2, Content.GOLD_AND_PTS, true, 8L)), 4).get(3))
                .as("another seed").isNotEqualTo(epochs.get(3));
    }

    @Test
    void shouldServeFromPtFileHandlesExactlyWhatRecordsInMemoryGiveInTheSameShuffle(@TempDir Path temp) {
        List<PseudoTarget> records = records(2);
        Options options = new Options(2, Content.GOLD_AND_PTS, true, 7L);
        try (PseudoTargetFile file = PseudoTargetFile.open(temp.resolve("pts.pb"))) {
            records.forEach(file::append);
            EpochPlan onDisk = EpochPlan.ofHandles(file.handles(), options);
            EpochPlan inMemory = EpochPlan.of(records, options);

            EpochBatches fromDisk = onDisk.batches(4, 3);
            EpochBatches fromMemory = inMemory.batches(4, 3);
            for (int epoch = 0; epoch < 3; epoch++) {
                // the shuffle as it was when batches copied and shuffled the examples themselves
                List<TrainingExample> expected = new ArrayList<>(inMemory.epoch(epoch));
                Collections.shuffle(expected, new Random(7L * 1_000_003L + epoch));
                List<TrainingExample> served = new ArrayList<>();
                while (served.size() < onDisk.epochSize()) {
                    List<TrainingExample> batch = fromDisk.next().orElseThrow();
                    assertThat(batch).isEqualTo(fromMemory.next().orElseThrow());
                    served.addAll(batch);
                }
                assertThat(served).as("epoch " + epoch).isEqualTo(expected);
            }
            assertThat(fromDisk.next()).isEmpty();
        }
    }

    @Test
    void shouldLoadAnEpochsRecordsOnlyAsItsBatchesAreServed() {
        List<Integer> loads = new ArrayList<>();
        List<PtHandle> handles = records(2).stream().<PtHandle>map(record -> new CountingHandle(record, loads))
                .toList();
        EpochPlan plan = EpochPlan.ofHandles(handles, new Options(2, Content.GOLD_AND_PTS, true, 7L));

        EpochBatches batches = plan.batches(4, 1);
        assertThat(loads).as("planning and shuffling read no record").isEmpty();
        assertThat(batches.next().orElseThrow()).hasSize(4);
        assertThat(loads).hasSize(4);
        assertThat(batches.next().orElseThrow()).hasSize(4);
        assertThat(loads).hasSize(8);
    }

    /** A record in memory that notes each load. */
    private record CountingHandle(PseudoTarget record, List<Integer> loads) implements PtHandle {

        @Override
        public String exampleId() {
            return record.getExampleId();
        }

        @Override
        public PseudoTarget.Kind kind() {
            return record.getKind();
        }

        @Override
        public int ptIndex() {
            return record.getPtIndex();
        }

        @Override
        public Split split() {
            return record.getSplit();
        }

        @Override
        public int numPseudoTargets() {
            return record.getNumPseudoTargets();
        }

        @Override
        public PseudoTarget load() {
            loads.add(1);
            return record;
        }
    }

    /** Each epoch's examples in the order the plan's batches (4 per batch) serve them. */
    private static List<List<String>> shuffledEpochs(EpochPlan plan, int epochs) {
        EpochBatches batches = plan.batches(4, epochs);
        List<List<String>> served = new ArrayList<>();
        for (int epoch = 0; epoch < epochs; epoch++) {
            List<String> ids = new ArrayList<>();
            while (ids.size() < plan.epochSize()) {
                ids.addAll(ids(batches.next().orElseThrow()));
            }
            served.add(ids);
        }
        assertThat(batches.next()).isEmpty();
        return served;
    }

    @Test
    void shouldLeaveUnlabeledInputsOutUnlessAsked() {
        EpochPlan plan = EpochPlan.of(records(2), new Options(2, Content.GOLD_AND_PTS, false, 1L));

        assertThat(plan.epoch(1)).hasSize(2 * LABELED).allSatisfy(e -> assertThat(e.split()).isEqualTo(Split.TRAIN));
    }

    @Test
    void shouldTrainOnGoldOnlyWithKZeroOrGoldOnly() {
        for (Options options : List.of(new Options(0, Content.GOLD_AND_PTS, true, 1L),
                new Options(3, Content.GOLD_ONLY, true, 1L))) {
            EpochPlan plan = EpochPlan.of(records(3), options);
            for (int epoch = 0; epoch < 4; epoch++) {
                assertThat(plan.epoch(epoch)).hasSize(LABELED)
                        .allSatisfy(e -> assertThat(e.kind()).isEqualTo(PseudoTarget.Kind.GOLD));
            }
        }
    }

    @Test
    void shouldDropGoldWithPtsOnly() {
        EpochPlan plan = EpochPlan.of(records(3), new Options(3, Content.PTS_ONLY, true, 1L));

        assertThat(plan.epoch(4)).hasSize(LABELED + UNLABELED)
                .allSatisfy(e -> assertThat(e.ptIndex()).isEqualTo(1))
                .allSatisfy(e -> assertThat(e.kind()).isEqualTo(PseudoTarget.Kind.TEACHER));
        assertThat(plan.goldCount()).isZero();
    }

    @Test
    void shouldExposeIdsTextsAndTheDistribution() {
        EpochPlan plan = EpochPlan.of(records(1), new Options(1, Content.GOLD_AND_PTS, false, 1L));
        TrainingExample example = plan.epoch(0).get(0);

        assertThat(example.sourceIds()).containsExactly(0, 9, 2);
        assertThat(example.targetIds()).containsExactly(5, 6, 2);
        assertThat(example.source()).isEqualTo("source of " + example.exampleId());
        assertThat(example.distribution()).hasValueSatisfying(d -> assertThat(d.positions()).isEqualTo(3));
    }

    @Test
    void shouldNameAnInputMissingTheEpochsPt() {
        List<PseudoTarget> records = new ArrayList<>(records(3));
        records.removeIf(r -> r.getExampleId().equals("u2") && r.getPtIndex() == 1);
        EpochPlan plan = EpochPlan.of(records, new Options(3, Content.GOLD_AND_PTS, true, 1L));

        assertThat(plan.epoch(0)).hasSize(LABELED + LABELED + UNLABELED);
        assertThatThrownBy(() -> plan.epoch(4))
                .isInstanceOf(BadInputException.class)
                .hasMessage("example u2: epoch 4 needs PT 1 of 3, which no record holds");
    }

    @Test
    void shouldRejectRecordsOfAnotherKAndDuplicates() {
        List<PseudoTarget> wrongK = new ArrayList<>(records(2));
        wrongK.add(PtRecords.teacher("x", Split.TRAIN, 0, 3));
        List<PseudoTarget> twice = new ArrayList<>(records(2));
        twice.add(PtRecords.teacher("l1", Split.TRAIN, 1, 2));

        assertThatThrownBy(() -> EpochPlan.of(wrongK, new Options(2, Content.GOLD_AND_PTS, true, 1L)))
                .isInstanceOf(BadInputException.class)
                .hasMessage("example x, PT 0: num_pseudo_targets=3 but the plan has K=2");
        assertThatThrownBy(() -> EpochPlan.of(twice, new Options(2, Content.GOLD_AND_PTS, true, 1L)))
                .isInstanceOf(BadInputException.class)
                .hasMessage("example l1: two records of PT 1");
    }

    @Test
    void shouldIgnoreDevAndTestRecords() {
        List<PseudoTarget> records = new ArrayList<>(records(1));
        records.add(PtRecords.record("d0", Split.DEV, PseudoTarget.Kind.GOLD, 0, 1));

        assertThat(EpochPlan.of(records, new Options(1, Content.GOLD_AND_PTS, true, 1L)).epochSize())
                .isEqualTo(LABELED + LABELED + UNLABELED);
    }

    /** LABELED labeled inputs (gold + K PTs) and UNLABELED unlabeled ones (K PTs). */
    private static List<PseudoTarget> records(int k) {
        List<PseudoTarget> records = new ArrayList<>();
        for (int i = 0; i < LABELED; i++) {
            records.add(PtRecords.gold("l" + i, k));
            for (int j = 0; j < k; j++) {
                records.add(PtRecords.teacher("l" + i, Split.TRAIN, j, k));
            }
        }
        for (int i = 0; i < UNLABELED; i++) {
            for (int j = 0; j < k; j++) {
                records.add(PtRecords.teacher("u" + i, Split.UNLABELED, j, k));
            }
        }
        return records;
    }

    private static List<String> ids(List<TrainingExample> examples) {
        return examples.stream().map(e -> e.exampleId() + "/" + e.kind() + "/" + e.ptIndex()).toList();
    }
}
