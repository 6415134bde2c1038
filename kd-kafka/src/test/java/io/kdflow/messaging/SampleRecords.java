package io.kdflow.messaging;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.kdflow.core.wire.SparseDistribution;
import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.DeadLetter;
import io.kdflow.core.wire.proto.EvalReport;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.ModelRole;
import io.kdflow.core.wire.proto.Provenance;
import io.kdflow.core.wire.proto.PseudoTarget;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.SourceExample;
import io.kdflow.core.wire.proto.Split;
import io.kdflow.core.wire.proto.StudentSample;
import io.kdflow.core.wire.proto.StudentScores;
import io.kdflow.core.wire.proto.TeacherDistribution;
import io.kdflow.core.wire.proto.TeacherDistribution.Quantization;
import java.util.List;

/** One valid record per kdflow.v1 type, in {@link Topics#all()} order. */
final class SampleRecords {

    static final String JOB_ID = "demo-1";
    private static final String SHA256 = "ab".repeat(32);

    private SampleRecords() {
    }

    static List<Message> all() {
        return List.of(jobSpec(), sourceExample(), pseudoTarget(), studentSample(), studentScores(),
                checkpointEvent(), evalReport(), deadLetter());
    }

    static RecordHeader header(String producer) {
        return RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId(JOB_ID)
                .setProvenance(Provenance.newBuilder().setProducer(producer).setSeed(7))
                .setCreatedUnixMs(1_764_201_600_000L).build();
    }

    static JobSpec jobSpec() {
        return JobSpec.newBuilder().setHeader(header("kdflow-cli/0.1.0")).setTask("shakespeare").build();
    }

    static SourceExample sourceExample() {
        return SourceExample.newBuilder().setHeader(header("kdflow-cli/0.1.0")).setExampleId("train-1")
                .setSplit(Split.TRAIN).setSource("Come, come, we know your meaning, brother Gloucester.")
                .addReferences("Come, come, I know what you're referring to, Richard.").build();
    }

    static PseudoTarget pseudoTarget() {
        return PseudoTarget.newBuilder().setHeader(header("pt-sampler/0.1.0")).setExampleId("train-1")
                .setSplit(Split.TRAIN).setKind(PseudoTarget.Kind.TEACHER).setPtIndex(1).setNumPseudoTargets(2)
                .addTokenIds(4).addTokenIds(2).setSequenceLogProb(-0.9).setDistribution(distribution()).build();
    }

    static StudentSample studentSample() {
        return StudentSample.newBuilder().setHeader(header("student-trainer/0.1.0")).setRequestId("req-1")
                .setExampleId("train-1").setStudentStep(10).addTokenIds(4).addTokenIds(2).build();
    }

    static StudentScores studentScores() {
        return StudentScores.newBuilder().setHeader(header("teacher-service/0.1.0")).setRequestId("req-1")
                .setExampleId("train-1").setStudentStep(10).setDistribution(distribution()).build();
    }

    static CheckpointEvent checkpointEvent() {
        return CheckpointEvent.newBuilder().setHeader(header("student-trainer/0.1.0")).setRole(ModelRole.STUDENT)
                .setStep(10).setUri("store:jobs/demo-1/student/step-10").setSha256(SHA256).build();
    }

    static EvalReport evalReport() {
        return EvalReport.newBuilder().setHeader(header("evaluator/0.1.0")).setRole(ModelRole.STUDENT).setStep(10)
                .setSplit(Split.DEV).putMetrics("bleu", 12.5).build();
    }

    static DeadLetter deadLetter() {
        return DeadLetter.newBuilder().setHeader(header("pt-sampler/0.1.0")).setService("pt-sampler")
                .setSourceTopic(Topics.EXAMPLES).setSourcePartition(0).setSourceOffset(5)
                .setKey(ByteString.copyFromUtf8("demo-1/train-9")).setValue(ByteString.copyFrom(new byte[] {1, 2}))
                .setReason("SourceExample: not a valid protobuf encoding").setErrorClass("x.Y").build();
    }

    /** Two positions over a 6-token vocabulary, top-3, FP16. */
    private static TeacherDistribution distribution() {
        float[][] logProbs = {
            {-3.2f, -2.9f, -2.1f, -0.4f, -1.9f, -4.0f},
            {-2.5f, -4.1f, -0.2f, -3.3f, -3.0f, -5.0f},
        };
        return SparseDistribution.fromLogProbs(logProbs, 3).toProto(Quantization.FP16);
    }
}
