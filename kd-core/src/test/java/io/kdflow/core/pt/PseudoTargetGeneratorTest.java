package io.kdflow.core.pt;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.kdflow.core.decoding.Generation;
import io.kdflow.core.decoding.GenerationInput;
import io.kdflow.core.decoding.GenerationSettings;
import io.kdflow.core.decoding.Generator;
import io.kdflow.core.decoding.ScoringPair;
import io.kdflow.core.decoding.TargetScore;
import io.kdflow.core.decoding.TeacherForcedScorer;
import io.kdflow.core.decoding.TextEncoding;
import io.kdflow.core.decoding.TopKLogProbs;
import io.kdflow.core.engine.DecodingWorkers;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.PretrainedModels;
import io.kdflow.core.model.config.GenerationConfig;
import io.kdflow.core.testing.HfTiny;
import io.kdflow.core.tokenizer.HfTokenizer;
import io.kdflow.core.train.TrainingExample;
import io.kdflow.core.wire.SparseDistribution;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.DecodingSettings;
import io.kdflow.core.wire.proto.PseudoTarget;
import io.kdflow.core.wire.proto.TeacherDistribution.Quantization;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PTs of the bart-tiny fixture (a copy-task teacher) on one libtorch thread: counts, order, ids and texts,
 * distributions equal to the teacher's teacher-forced log-softmax on the same PT, beam PTs equal to the
 * Generator's beams, samples independent of the batch, high-temperature draws with temperature-1
 * distributions, GOLD records.
 */
class PseudoTargetGeneratorTest {

    private static final List<PtInput> INPUTS = List.of(
            PtInput.labeled("ex-0", "You can apply it to your programs, too.", "You can apply it to your programs, too."),
            PtInput.labeled("ex-1", "the work must carry prominent notices", "the work must carry prominent notices"),
            PtInput.labeled("ex-2", "Distribution of modified versions is permitted.",
                    "Distribution of modified versions is permitted."));

    @TempDir
    static Path temp;

    private static Path dir;
    private static NDManager manager;
    private static PretrainedModel teacher;
    private static HfTokenizer tokenizer;
    private static GenerationConfig config;
    private static TeacherForcedScorer scorer;
    private static int threadsBefore;

    @BeforeAll
    static void loadTeacher() throws IOException {
        dir = HfTiny.copyModel(HfTiny.BART, temp);
        manager = NDManager.newBaseManager(); // loads the engine
        threadsBefore = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        teacher = PretrainedModels.load(dir, manager);
        tokenizer = HfTokenizer.load(dir);
        config = GenerationConfig.readOrDefault(dir, teacher.config());
        scorer = new TeacherForcedScorer(teacher, config);
    }

    @AfterAll
    static void close() {
        tokenizer.close();
        teacher.close();
        manager.close();
        JniUtils.setNumThreads(threadsBefore);
    }

    @Test
    void shouldWriteGoldThenEachPtIndexOfEveryInputWithTeacherDistributions() {
        PtSettings settings = settings(PtDecoding.SAMPLING, 2).withBatchSize(2);
        List<PseudoTarget> records = new ArrayList<>();
        List<PtProgress.Snapshot> progress = new ArrayList<>();

        generator(settings).run(INPUTS, records::add, progress::add);

        assertThat(records).extracting(r -> r.getExampleId() + "/" + r.getKind() + "/" + r.getPtIndex())
                .containsExactly("ex-0/GOLD/0", "ex-1/GOLD/0", "ex-2/GOLD/0",
                        "ex-0/TEACHER/0", "ex-1/TEACHER/0", "ex-2/TEACHER/0",
                        "ex-0/TEACHER/1", "ex-1/TEACHER/1", "ex-2/TEACHER/1");
        for (PseudoTarget record : records) {
            assertThat(WireCodecs.PSEUDO_TARGET.decode(WireCodecs.PSEUDO_TARGET.encode(record))).isEqualTo(record);
            assertThat(record.getNumPseudoTargets()).isEqualTo(2);
            assertThat(record.getHeader().getJobId()).isEqualTo("job-1");
            assertThat(record.getHeader().getProvenance().getModelRevision()).isEqualTo("bart-tiny@fixture");
            assertThat(record.getHeader().getProvenance().getSeed()).isEqualTo(42L);
            assertThat(tokenizer.decode(ids(record.getTokenIdsList()), true)).isEqualTo(record.getText());
            assertThat(record.getDistribution().getPositions()).isEqualTo(record.getTokenIdsCount());
        }
        assertTeacherForcedDistributions(records);
        PtProgress.Snapshot last = progress.get(progress.size() - 1);
        assertThat(progress).hasSize(2 + 2 * 2); // gold of 2 batches, then 2 batches per PT index
        assertThat(last.targetsDone()).isEqualTo(9).isEqualTo(last.targetsTotal());
        assertThat(last.inputsDone()).isEqualTo(3);
        assertThat(last.tokens()).isEqualTo(records.stream().mapToLong(PseudoTarget::getTokenIdsCount).sum());
        DecodingSettings decoding = records.get(3).getHeader().getProvenance().getDecoding();
        assertThat(decoding.getStrategy()).isEqualTo(DecodingSettings.Strategy.SAMPLING);
        assertThat(decoding.getTopK()).isEqualTo(50);
        assertThat(decoding.getTopP()).isEqualTo(0.95f);
        assertThat(decoding.getTemperature()).isEqualTo(1.0f);
    }

    @Test
    void shouldWriteTheSameRecordsInTheSameOrderOnTwoDecodingWorkers() {
        Clock clock = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);
        for (PtDecoding decoding : List.of(PtDecoding.SAMPLING, PtDecoding.BEAM_SEARCH)) {
            PtSettings settings = settings(decoding, 2).withBatchSize(1); // 3 batches a pass, over 2 workers
            List<PseudoTarget> serial = new ArrayList<>();
            List<Long> serialDone = new ArrayList<>();
            new PseudoTargetGenerator(teacher, tokenizer, config, settings, clock)
                    .run(INPUTS, serial::add, snapshot -> serialDone.add(snapshot.targetsDone()));
            List<PseudoTarget> parallel = new ArrayList<>();
            List<Long> parallelDone = new ArrayList<>();
            List<String> threads = new ArrayList<>();

            try (DecodingWorkers workers = DecodingWorkers.of(2, 1)) {
                new PseudoTargetGenerator(teacher, tokenizer, config, settings, clock).run(INPUTS, record -> {
                    parallel.add(record);
                    threads.add(Thread.currentThread().getName());
                }, snapshot -> parallelDone.add(snapshot.targetsDone()), workers);
            }

            // one libtorch thread per worker, as here: the same kernels, so the same bits
            assertThat(parallel).as(decoding.name()).hasSize(9)
                    .isEqualTo(serial);
            assertThat(parallelDone).isEqualTo(serialDone);
            assertThat(threads).as("records reach the sink on the calling thread").containsOnly(
                    Thread.currentThread().getName());
        }
        assertThat(JniUtils.getNumThreads()).as("the caller's thread count is kept").isEqualTo(1);
    }

    @Test
    void shouldFeedTheEpochPlanThroughThePtFile() {
        Path file = temp.resolve("job-1/pts.pb");
        List<PtInput> inputs = new ArrayList<>(INPUTS);
        inputs.add(PtInput.unlabeled("u-0", "the work must carry"));
        try (PseudoTargetFile out = PseudoTargetFile.open(file)) {
            generator(settings(PtDecoding.SAMPLING, 2)).run(inputs, out::append, PtProgress.NONE);
        }
        List<PseudoTarget> stored = PseudoTargetFile.readAll(file);
        EpochPlan plan = EpochPlan.of(stored, new EpochPlan.Options(2, EpochPlan.Content.GOLD_AND_PTS, true, 42L));

        assertThat(stored).hasSize(3 + 4 * 2);
        for (int epoch = 0; epoch < 3; epoch++) {
            List<TrainingExample> examples = plan.epoch(epoch);
            assertThat(examples).hasSize(3 + 4).allSatisfy(e -> assertThat(e.distribution()).isPresent());
            assertThat(examples.stream().filter(e -> e.kind() == PseudoTarget.Kind.TEACHER))
                    .extracting(TrainingExample::ptIndex).containsOnly(epoch % 2);
        }
    }

    @Test
    void shouldReturnTheGeneratorsBeamsAsBeamPts() {
        PtSettings settings = settings(PtDecoding.BEAM_SEARCH, 2);
        PseudoTargetGenerator generator = generator(settings);
        GenerationSettings beams = GenerationSettings.defaults(config).toBuilder().maxNewTokens(24).numBeams(2)
                .numReturnSequences(2).build();
        List<GenerationInput> inputs = new ArrayList<>();
        for (PtInput input : INPUTS) {
            inputs.add(new GenerationInput(new TextEncoding(tokenizer, teacher.config()).source(input.source()), 0L));
        }

        List<Generation> expected = new Generator(teacher, config).generate(inputs, beams);
        List<PseudoTarget> all = generator.generateAll(INPUTS);
        List<PseudoTarget> second = generator.generate(INPUTS, 1);

        assertThat(all).hasSize(6);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
                PseudoTarget record = all.get(i * 2 + j);
                assertThat(record.getPtIndex()).isEqualTo(j);
                assertThat(ids(record.getTokenIdsList())).as("input " + i + ", beam " + j)
                        .containsExactly(expected.get(i).hypotheses().get(j).tokens());
                assertThat(record.getSequenceLogProb())
                        .isCloseTo(expected.get(i).hypotheses().get(j).logProb(), Offset.offset(1e-6));
            }
            assertThat(second.get(i).getTokenIdsList()).isEqualTo(all.get(i * 2 + 1).getTokenIdsList());
        }
        assertThat(all.get(0).getHeader().getProvenance().getDecoding().getStrategy())
                .isEqualTo(DecodingSettings.Strategy.BEAM_SEARCH);
        assertTeacherForcedDistributions(all);
    }

    @Test
    void shouldSampleTheSamePtsWhateverTheBatch() {
        PseudoTargetGenerator generator = generator(settings(PtDecoding.HIGH_TEMPERATURE_SAMPLING, 3));

        List<PseudoTarget> all = generator.generateAll(INPUTS);
        Map<String, List<Integer>> byKey = new HashMap<>();
        for (PseudoTarget record : all) {
            byKey.put(record.getExampleId() + "/" + record.getPtIndex(), record.getTokenIdsList());
        }
        for (int j = 0; j < 3; j++) {
            List<PseudoTarget> reversed = generator.generate(List.of(INPUTS.get(2), INPUTS.get(1), INPUTS.get(0)), j);
            for (PseudoTarget record : reversed) {
                assertThat(record.getTokenIdsList()).as(record.getExampleId() + " PT " + j)
                        .isEqualTo(byKey.get(record.getExampleId() + "/" + j));
            }
            for (PtInput input : INPUTS) {
                PseudoTarget alone = generator.generate(List.of(input), j).get(0);
                assertThat(alone.getTokenIdsList()).isEqualTo(byKey.get(input.exampleId() + "/" + j));
            }
        }
        assertThat(byKey.values().stream().distinct().count()).as("samples differ").isGreaterThan(3);
        assertThat(generator(settings(PtDecoding.HIGH_TEMPERATURE_SAMPLING, 3).withSeed(43L)).generateAll(INPUTS))
                .extracting(PseudoTarget::getTokenIdsList).as("another seed")
                .isNotEqualTo(all.stream().map(PseudoTarget::getTokenIdsList).toList());
    }

    @Test
    void shouldDrawAtHighTemperatureAndAttachTemperatureOneDistributions() {
        List<PseudoTarget> records = generator(settings(PtDecoding.HIGH_TEMPERATURE_SAMPLING, 2))
                .generateAll(INPUTS);

        assertThat(records.get(0).getHeader().getProvenance().getDecoding().getTemperature()).isEqualTo(1.5f);
        assertTeacherForcedDistributions(records);
        double largestGap = 0; // against the teacher's distribution at the drawing temperature
        for (PseudoTarget record : records) {
            SparseDistribution distribution = SparseDistribution.fromProto(record.getDistribution());
            assertThat(distribution.temperature()).isEqualTo(1f);
            TopKLogProbs full = fullRows(List.of(record)).get(0);
            for (int p = 0; p < distribution.positions(); p++) {
                double[] scaled = logSoftmaxAt(full.logProbs()[p], 1.5);
                largestGap = Math.max(largestGap, Math.abs(distribution.logProb(p, 0) - scaled[0]));
            }
        }
        assertThat(largestGap).as("the values are not the T = 1.5 distribution").isGreaterThan(0.01);
    }

    @Test
    void shouldScoreGoldTargetsTeacherForcedAndSkipUnlabeledInputs() {
        PtSettings settings = settings(PtDecoding.SAMPLING, 2);
        List<PtInput> inputs = List.of(INPUTS.get(0), PtInput.unlabeled("u-0", "the work must carry"),
                INPUTS.get(2));
        TextEncoding encoding = new TextEncoding(tokenizer, teacher.config(), config);

        List<PseudoTarget> gold = generator(settings).gold(inputs);

        assertThat(gold).extracting(PseudoTarget::getExampleId).containsExactly("ex-0", "ex-2");
        for (PseudoTarget record : gold) {
            String text = record.getExampleId().equals("ex-0") ? INPUTS.get(0).goldTarget() : INPUTS.get(2).goldTarget();
            assertThat(record.getKind()).isEqualTo(PseudoTarget.Kind.GOLD);
            assertThat(record.getText()).isEqualTo(text);
            assertThat(ids(record.getTokenIdsList())).containsExactly(encoding.target(text));
            TargetScore score = scorer.score(List.of(new ScoringPair(encoding.source(text), encoding.target(text))), 0)
                    .get(0);
            assertThat(record.getSequenceLogProb()).isCloseTo(-score.totalNll(), Offset.offset(1e-4));
        }
        assertTeacherForcedDistributions(gold);
    }

    @Test
    void shouldQuantizeTheDistributionsAsAsked() {
        List<PseudoTarget> exact = generator(settings(PtDecoding.SAMPLING, 1)).gold(INPUTS);
        List<PseudoTarget> int8 = generator(settings(PtDecoding.SAMPLING, 1).withDistribution(8, Quantization.INT8))
                .gold(INPUTS);

        for (int i = 0; i < 3; i++) {
            assertThat(int8.get(i).getDistribution().getQuantization()).isEqualTo(Quantization.INT8);
            SparseDistribution a = SparseDistribution.fromProto(exact.get(i).getDistribution());
            SparseDistribution b = SparseDistribution.fromProto(int8.get(i).getDistribution());
            for (int p = 0; p < a.positions(); p++) {
                float step = (a.logProb(p, 0) - a.logProb(p, a.k() - 1)) / 255f;
                for (int r = 0; r < a.k(); r++) {
                    assertThat(b.tokenId(p, r)).isEqualTo(a.tokenId(p, r));
                    assertThat(b.logProb(p, r)).isCloseTo(a.logProb(p, r), Offset.offset(step / 2 + 1e-5f));
                }
            }
        }
    }

    private static void assertTeacherForcedDistributions(List<PseudoTarget> records) {
        TeacherForcedCheck.assertDistributions(records, scorer, teacher.config().vocabSize(), 8);
    }

    private static List<TopKLogProbs> fullRows(List<PseudoTarget> records) {
        return TeacherForcedCheck.fullRows(records, scorer, teacher.config().vocabSize());
    }

    private static double[] logSoftmaxAt(float[] logProbs, double temperature) {
        double[] scaled = new double[logProbs.length];
        for (int v = 0; v < scaled.length; v++) {
            scaled[v] = logProbs[v] / temperature;
        }
        double norm = TeacherForcedCheck.logSumExp(scaled);
        return Arrays.stream(scaled).map(x -> x - norm).toArray();
    }

    private static PseudoTargetGenerator generator(PtSettings settings) {
        return new PseudoTargetGenerator(teacher, tokenizer, config, settings);
    }

    private static PtSettings settings(PtDecoding decoding, int k) {
        return new PtSettings("job-1", "bart-tiny@fixture", decoding, k, k, 64, 24, 8, Quantization.FP32, 3, 42L);
    }

    private static long[] ids(List<Integer> ids) {
        return ids.stream().mapToLong(Integer::longValue).toArray();
    }
}
