package io.kdflow.core.wire;

import com.google.protobuf.ByteString;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.DeadLetter;
import io.kdflow.core.wire.proto.DecodingSettings;
import io.kdflow.core.wire.proto.EvalReport;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.ModelRole;
import io.kdflow.core.wire.proto.Provenance;
import io.kdflow.core.wire.proto.PseudoTarget;
import io.kdflow.core.wire.proto.PseudoTargetSpec;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.SourceExample;
import io.kdflow.core.wire.proto.Split;
import io.kdflow.core.wire.proto.StudentSample;
import io.kdflow.core.wire.proto.StudentScores;
import io.kdflow.core.wire.proto.TeacherDistribution;
import io.kdflow.core.wire.proto.TeacherDistribution.Quantization;
import io.kdflow.core.wire.proto.TopicPartitionOffset;
import io.kdflow.core.wire.proto.TrainingSpec;
import java.util.HexFormat;
import java.util.Random;

/** Valid kdflow.v1 records with random content, reproducible from a seed (the fuzz tests' round trips). */
final class RandomRecords {

    private static final String ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-_.";
    private static final String[] WORDS = {
        "thee", "thou", "art", "the", "é", "naïve", "日本語", "\uD83D\uDE00", "", " ", "\"quoted\"", "line\nbreak",
        "tab\t"};
    private static final Quantization[] QUANTIZATIONS = {Quantization.FP32, Quantization.FP16, Quantization.INT8};
    private static final Split[] SPLITS = {Split.TRAIN, Split.DEV, Split.TEST, Split.UNLABELED};
    private static final ModelRole[] ROLES = {ModelRole.TEACHER, ModelRole.STUDENT, ModelRole.STUDENT_BASELINE};

    private final Random random;

    RandomRecords(long seed) {
        this.random = new Random(seed);
    }

    JobSpec jobSpec() {
        JobSpec.Builder job = JobSpec.newBuilder().setHeader(header()).setTask(id());
        if (random.nextBoolean()) {
            job.setPseudoTargets(PseudoTargetSpec.newBuilder()
                    .setNumPseudoTargets(random.nextInt(10))
                    .setDecoding(decoding())
                    .setDistributionTopK(1 + random.nextInt(64))
                    .setQuantization(pick(QUANTIZATIONS)));
        }
        if (random.nextBoolean()) {
            job.setTraining(TrainingSpec.newBuilder()
                    .setObjective(pick(TrainingSpec.Objective.values(), 1))
                    .setJointTeaching(pick(TrainingSpec.JointTeaching.values(), 1))
                    .setLearningRate(random.nextFloat())
                    .setSeed(random.nextLong()));
        }
        for (int i = random.nextInt(3); i > 0; i--) {
            job.putExtra(id(), text());
        }
        return job.build();
    }

    SourceExample sourceExample() {
        Split split = pick(SPLITS);
        SourceExample.Builder example = SourceExample.newBuilder().setHeader(header()).setExampleId(id())
                .setSplit(split).setSource(text());
        int references = split == Split.UNLABELED ? random.nextInt(2) : 1 + random.nextInt(3);
        for (int i = 0; i < references; i++) {
            example.addReferences(text());
        }
        return example.build();
    }

    PseudoTarget pseudoTarget() {
        PseudoTarget.Kind kind = pick(new PseudoTarget.Kind[] {
            PseudoTarget.Kind.GOLD, PseudoTarget.Kind.TEACHER, PseudoTarget.Kind.PASS_THROUGH});
        int count = random.nextInt(6);
        int index = kind == PseudoTarget.Kind.TEACHER && count > 0 ? random.nextInt(count) : 0;
        int vocab = 1 + random.nextInt(300);
        int positions = random.nextInt(9);
        PseudoTarget.Builder target = PseudoTarget.newBuilder()
                .setHeader(header())
                .setExampleId(id())
                .setSplit(pick(SPLITS))
                .setKind(kind)
                .setPtIndex(index)
                .setNumPseudoTargets(count)
                .setSource(text())
                .setText(text())
                .setSequenceLogProb(-10 * random.nextDouble());
        for (int i = random.nextInt(8); i > 0; i--) {
            target.addSourceTokenIds(random.nextInt(Integer.MAX_VALUE));
        }
        for (int p = 0; p < positions; p++) {
            target.addTokenIds(random.nextInt(vocab));
        }
        if (kind != PseudoTarget.Kind.PASS_THROUGH && random.nextInt(4) > 0) {
            target.setDistribution(distribution(positions, vocab));
        }
        return target.build();
    }

    StudentSample studentSample() {
        StudentSample.Builder sample = StudentSample.newBuilder().setHeader(header()).setRequestId(id())
                .setExampleId(id()).setStudentStep(random.nextLong());
        for (int i = random.nextInt(8); i > 0; i--) {
            sample.addSourceTokenIds(random.nextInt(50_000)).addTokenIds(random.nextInt(50_000));
        }
        return sample.build();
    }

    StudentScores studentScores() {
        return StudentScores.newBuilder().setHeader(header()).setRequestId(id()).setExampleId(id())
                .setStudentStep(random.nextInt(100_000))
                .setDistribution(distribution(random.nextInt(9), 1 + random.nextInt(300)))
                .build();
    }

    CheckpointEvent checkpointEvent() {
        CheckpointEvent.Builder event = CheckpointEvent.newBuilder().setHeader(header()).setRole(pick(ROLES))
                .setStep(random.nextInt(1_000_000)).setEpoch(random.nextInt(50)).setUri("store:" + id())
                .setSha256(sha256()).setFinal(random.nextBoolean());
        for (int i = random.nextInt(4); i > 0; i--) {
            event.addConsumed(TopicPartitionOffset.newBuilder().setTopic(pick(Topics.all().toArray(String[]::new)))
                    .setPartition(random.nextInt(64)).setOffset(random.nextLong() & Long.MAX_VALUE));
        }
        return event.build();
    }

    EvalReport evalReport() {
        EvalReport.Builder report = EvalReport.newBuilder().setHeader(header()).setRole(pick(ROLES))
                .setStep(random.nextInt(1_000_000)).setSplit(pick(SPLITS)).setCheckpointUri("store:" + id())
                .setCheckpointSha256(random.nextBoolean() ? sha256() : "").setNumExamples(random.nextInt(10_000))
                .setBestSoFar(random.nextBoolean());
        for (int i = random.nextInt(6); i > 0; i--) {
            report.putMetrics(id(), random.nextGaussian() * 100);
        }
        return report.build();
    }

    DeadLetter deadLetter() {
        byte[] key = new byte[random.nextInt(20)];
        byte[] value = new byte[random.nextInt(200)];
        random.nextBytes(key);
        random.nextBytes(value);
        RecordHeader header = random.nextBoolean() ? header() : header().toBuilder().setJobId("").build();
        return DeadLetter.newBuilder().setHeader(header).setService(id())
                .setSourceTopic(pick(Topics.all().toArray(String[]::new)))
                .setSourcePartition(random.nextInt(65) - 1).setSourceOffset(random.nextInt(100_000) - 1)
                .setKey(ByteString.copyFrom(key)).setValue(ByteString.copyFrom(value))
                .setReason(text().replace('\n', ' ') + "!").setErrorClass(id())
                .build();
    }

    /** A valid distribution: random logits at a random sharpness, k up to 12 (sometimes the whole vocabulary). */
    TeacherDistribution distribution(int positions, int vocab) {
        int k = random.nextInt(5) == 0 ? vocab : 1 + random.nextInt(Math.min(vocab, 12));
        float temperature = pick(new Float[] {1f, 0.7f, 2f});
        SparseDistribution distribution;
        if (positions == 0) {
            distribution = new SparseDistribution(0, k, vocab, new int[0], new float[0], new float[0], temperature);
        } else {
            float[][] rows = new float[positions][vocab];
            double sharpness = Math.exp(4 * random.nextDouble() - 2);
            for (int p = 0; p < positions; p++) {
                float[] logits = new float[vocab];
                for (int v = 0; v < vocab; v++) {
                    logits[v] = (float) (sharpness * random.nextGaussian());
                }
                rows[p] = SparseDistributionTest.logSoftmax(logits);
            }
            distribution = SparseDistribution.fromLogProbs(rows, k, temperature);
        }
        return distribution.toProto(pick(QUANTIZATIONS));
    }

    private RecordHeader header() {
        RecordHeader.Builder header = RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION)
                .setJobId(id().replace('.', '-')).setCreatedUnixMs(random.nextLong() & Long.MAX_VALUE);
        if (random.nextBoolean()) {
            header.setProvenance(Provenance.newBuilder().setProducer(id() + "/0.1.0").setModelRevision(sha256())
                    .setDecoding(decoding()).setSeed(random.nextLong()).setConfigHash(sha256()));
        }
        return header.build();
    }

    private DecodingSettings decoding() {
        return DecodingSettings.newBuilder().setStrategy(pick(DecodingSettings.Strategy.values(), 1))
                .setNumBeams(random.nextInt(8)).setTemperature(random.nextFloat() * 2).setTopK(random.nextInt(100))
                .setTopP(random.nextFloat()).setMaxNewTokens(random.nextInt(512)).build();
    }

    private String id() {
        StringBuilder id = new StringBuilder();
        for (int i = 1 + random.nextInt(16); i > 0; i--) {
            id.append(ID_CHARS.charAt(random.nextInt(ID_CHARS.length())));
        }
        return id.toString();
    }

    private String text() {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(8); i > 0; i--) {
            text.append(pick(WORDS)).append(' ');
        }
        return text.toString();
    }

    private String sha256() {
        byte[] digest = new byte[32];
        random.nextBytes(digest);
        return HexFormat.of().formatHex(digest);
    }

    private <E> E pick(E[] values) {
        return values[random.nextInt(values.length)];
    }

    /** Picks among {@code values}, leaving out the last {@code excluded} (the UNRECOGNIZED placeholder). */
    private <E> E pick(E[] values, int excluded) {
        return values[random.nextInt(values.length - excluded)];
    }
}
