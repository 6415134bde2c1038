package io.kdflow.core.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.DeadLetter;
import io.kdflow.core.wire.proto.DecodingSettings;
import io.kdflow.core.wire.proto.EvalReport;
import io.kdflow.core.wire.proto.EvaluationSpec;
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
import io.kdflow.core.wire.proto.StudentSpec;
import io.kdflow.core.wire.proto.TeacherDistribution.Quantization;
import io.kdflow.core.wire.proto.TopicPartitionOffset;
import io.kdflow.core.wire.proto.TrainingSpec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Realistic, fully populated instances of every kdflow.v1 record: one job distilling the tiny BART copy
 * model, with real teacher distributions from {@link TinyBartReference}. These built the committed golden
 * fixtures under {@code wire/v1/}; tests that need a valid record start from them.
 */
final class GoldenRecords {

    static final String JOB_ID = "copy-demo-7f3a";
    static final long CREATED_UNIX_MS = 1_764_201_600_000L; // 2025-11-27T00:00:00Z
    static final String CONFIG_HASH = "9b1f0c5e2d7a4b8e6f3c1a0d9e8b7c6a5f4e3d2c1b0a99887766554433221100";
    static final String TEACHER_SHA256 = "5d41402abc4b2a76b9719d911017c592aa1b2c3d4e5f60718293a4b5c6d7e8f9";
    static final String STUDENT_SHA256 = "3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d";
    static final String REQUEST_ID = "js-1200-0007-8c2f41d6";

    /** Fixture file names (without extension), in {@link Topics#all()} order, with the INT8 PT after the PT. */
    static final String[] NAMES = {
        "JobSpec", "SourceExample", "PseudoTarget", "PseudoTarget-INT8", "StudentSample", "StudentScores",
        "CheckpointEvent", "EvalReport", "DeadLetter",
    };

    private GoldenRecords() {
    }

    /** Every golden record by fixture name. */
    static Map<String, Message> all() {
        Map<String, Message> records = new LinkedHashMap<>();
        records.put("JobSpec", jobSpec());
        records.put("SourceExample", sourceExample());
        records.put("PseudoTarget", goldTargetFp16());
        records.put("PseudoTarget-INT8", teacherTargetInt8());
        records.put("StudentSample", studentSample());
        records.put("StudentScores", studentScores());
        records.put("CheckpointEvent", checkpointEvent());
        records.put("EvalReport", evalReport());
        records.put("DeadLetter", deadLetter());
        return records;
    }

    static WireCodec<?> codecOf(String name) {
        return Wire.codecFor(all().get(name).getClass().asSubclass(Message.class));
    }

    static RecordHeader header(String producer, String modelRevision, long seed) {
        return RecordHeader.newBuilder()
                .setSchemaVersion(Wire.SCHEMA_VERSION)
                .setJobId(JOB_ID)
                .setProvenance(Provenance.newBuilder()
                        .setProducer(producer)
                        .setModelRevision(modelRevision)
                        .setDecoding(sampling())
                        .setSeed(seed)
                        .setConfigHash(CONFIG_HASH))
                .setCreatedUnixMs(CREATED_UNIX_MS)
                .build();
    }

    static DecodingSettings sampling() {
        return DecodingSettings.newBuilder()
                .setStrategy(DecodingSettings.Strategy.SAMPLING)
                .setNumBeams(1)
                .setTemperature(1.0f)
                .setTopK(0)
                .setTopP(0.95f)
                .setMaxNewTokens(24)
                .setLengthPenalty(1.0f)
                .setEarlyStopping(false)
                .setNumReturnSequences(3)
                .build();
    }

    static JobSpec jobSpec() {
        return JobSpec.newBuilder()
                .setHeader(header("kdflow-cli/0.1.0", "", 42))
                .setTask("copy")
                .setTeacherUri("store:teachers/bart-tiny")
                .setTeacherInitUri("store:pretrained/bart-tiny")
                .setStudent(StudentSpec.newBuilder()
                        .setInitUri("")
                        .addAllKeepEncoderLayers(Arrays.asList(0, 1))
                        .addAllKeepDecoderLayers(Arrays.asList(0, -1)))
                .setPseudoTargets(PseudoTargetSpec.newBuilder()
                        .setNumPseudoTargets(3)
                        .setDecoding(sampling())
                        .setIncludeUnlabeled(true)
                        .setDistributionTopK(8)
                        .setQuantization(Quantization.FP16))
                .setTraining(TrainingSpec.newBuilder()
                        .setObjective(TrainingSpec.Objective.SEQUENCE_KD)
                        .setKdTemperature(1.0f)
                        .setEpochs(10)
                        .setBatchSize(32)
                        .setGradientAccumulation(2)
                        .setLearningRate(3e-4f)
                        .setWeightDecay(0.01f)
                        .setWarmupSteps(500)
                        .setSeed(42)
                        .setJointTeaching(TrainingSpec.JointTeaching.REMOTE)
                        .setMaxStalenessSteps(2)
                        .setFinalFinetuneEpochs(1)
                        .setEarlyStoppingPatience(3)
                        .setMaxSourceTokens(128)
                        .setMaxTargetTokens(64))
                .setEvaluation(EvaluationSpec.newBuilder()
                        .setNumBeams(4)
                        .setMaxNewTokens(24)
                        .setSelectionMetric("bleu")
                        .setMaxDevExamples(500))
                .putExtra("pt-sampler.batch-size", "16")
                .build();
    }

    static SourceExample sourceExample() {
        return SourceExample.newBuilder()
                .setHeader(header("kdflow-cli/0.1.0", "", 42))
                .setExampleId("train-00000")
                .setSplit(Split.TRAIN)
                .setSource(TinyBartReference.TEXTS[0])
                .addReferences(TinyBartReference.TEXTS[0])
                .build();
    }

    /** The gold target of text 0, scored by the teacher; FP16 top-8 distribution. */
    static PseudoTarget goldTargetFp16() {
        return target(0, "train-00000", PseudoTarget.Kind.GOLD, 0, Quantization.FP16);
    }

    /** Teacher PT 1 of 3 for text 2; INT8 top-8 distribution. */
    static PseudoTarget teacherTargetInt8() {
        return target(2, "train-00002", PseudoTarget.Kind.TEACHER, 1, Quantization.INT8);
    }

    static StudentSample studentSample() {
        TinyBartReference reference = TinyBartReference.get();
        return StudentSample.newBuilder()
                .setHeader(header("student-trainer/0.1.0", STUDENT_SHA256, 7))
                .setRequestId(REQUEST_ID)
                .setExampleId("train-00001")
                .setStudentStep(1200)
                .addAllSourceTokenIds(boxed(reference.inputIds(1)))
                .addAllTokenIds(boxed(reference.labels(1)))
                .build();
    }

    /** The teacher's FP32 top-4 distribution on the student sample. */
    static StudentScores studentScores() {
        return StudentScores.newBuilder()
                .setHeader(header("teacher-service/0.1.0", TEACHER_SHA256, 7))
                .setRequestId(REQUEST_ID)
                .setExampleId("train-00001")
                .setStudentStep(1200)
                .setDistribution(SparseDistribution.fromLogProbs(TinyBartReference.get().logProbs(1), 4)
                        .toProto(Quantization.FP32))
                .build();
    }

    static CheckpointEvent checkpointEvent() {
        return CheckpointEvent.newBuilder()
                .setHeader(header("student-trainer/0.1.0", STUDENT_SHA256, 42))
                .setRole(ModelRole.STUDENT)
                .setStep(1200)
                .setEpoch(3)
                .setUri("store:jobs/" + JOB_ID + "/student/step-1200")
                .setSha256(STUDENT_SHA256)
                .addConsumed(offset(Topics.PSEUDO_TARGETS, 0, 4410))
                .addConsumed(offset(Topics.PSEUDO_TARGETS, 1, 4398))
                .addConsumed(offset(Topics.STUDENT_SCORES, 0, 611))
                .setFinal(false)
                .build();
    }

    static EvalReport evalReport() {
        return EvalReport.newBuilder()
                .setHeader(header("evaluator/0.1.0", STUDENT_SHA256, 42))
                .setRole(ModelRole.STUDENT)
                .setStep(1200)
                .setSplit(Split.DEV)
                .setCheckpointUri("store:jobs/" + JOB_ID + "/student/step-1200")
                .setCheckpointSha256(STUDENT_SHA256)
                .putMetrics("bleu", 61.25)
                .putMetrics("chrf", 74.5)
                .putMetrics("rouge2_f", 0.5875)
                .putMetrics("nll", 0.8125)
                .putMetrics("latency_ms_p50", 3.5)
                .putMetrics("params", 287_488)
                .setNumExamples(500)
                .setBestSoFar(true)
                .build();
    }

    /** An unlabeled-looking TRAIN example the sampler rejected, with its original bytes. */
    static DeadLetter deadLetter() {
        SourceExample rejected = sourceExample().toBuilder().setExampleId("train-00999").clearReferences().build();
        return DeadLetter.newBuilder()
                .setHeader(header("pt-sampler/0.1.0", TEACHER_SHA256, 42))
                .setService("pt-sampler")
                .setSourceTopic(Topics.EXAMPLES)
                .setSourcePartition(3)
                .setSourceOffset(1287)
                .setKey(ByteString.copyFrom(Topics.exampleKey(JOB_ID, "train-00999"), StandardCharsets.UTF_8))
                .setValue(rejected.toByteString())
                .setReason("SourceExample.references: a TRAIN example needs at least one reference")
                .setErrorClass(WireFormatException.class.getName())
                .build();
    }

    private static PseudoTarget target(int text, String exampleId, PseudoTarget.Kind kind, int index,
            Quantization quantization) {
        TinyBartReference reference = TinyBartReference.get();
        int[] labels = reference.labels(text);
        float[][] logProbs = reference.logProbs(text);
        double sequenceLogProb = 0;
        for (int p = 0; p < labels.length; p++) {
            sequenceLogProb += logProbs[p][labels[p]];
        }
        return PseudoTarget.newBuilder()
                .setHeader(header("pt-sampler/0.1.0", TEACHER_SHA256, 1000 + text))
                .setExampleId(exampleId)
                .setSplit(Split.TRAIN)
                .setKind(kind)
                .setPtIndex(index)
                .setNumPseudoTargets(3)
                .setSource(TinyBartReference.TEXTS[text])
                .setText(TinyBartReference.TEXTS[text])
                .addAllSourceTokenIds(boxed(reference.inputIds(text)))
                .addAllTokenIds(boxed(labels))
                .setSequenceLogProb(sequenceLogProb)
                .setDistribution(SparseDistribution.fromLogProbs(logProbs, 8).toProto(quantization))
                .build();
    }

    private static TopicPartitionOffset offset(String topic, int partition, long offset) {
        return TopicPartitionOffset.newBuilder().setTopic(topic).setPartition(partition).setOffset(offset).build();
    }

    private static Iterable<Integer> boxed(int[] ids) {
        return Arrays.stream(ids).boxed().toList();
    }
}
