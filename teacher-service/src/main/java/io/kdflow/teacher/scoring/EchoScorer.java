package io.kdflow.teacher.scoring;

import io.kdflow.core.wire.SparseDistribution;
import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.proto.Provenance;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.StudentSample;
import io.kdflow.core.wire.proto.StudentScores;
import io.kdflow.core.wire.proto.TeacherDistribution;
import io.kdflow.service.RejectedRecordException;
import java.time.Clock;

/**
 * The plumbing mode of the teacher: answers each student sample with a point mass on the student's own
 * tokens. It exercises the Joint-Teaching round trip (samples out, scores back, keyed by request id)
 * without a model; it is not a teacher.
 */
public final class EchoScorer {

    private final String producer;
    private final int vocabSize;
    private final Clock clock;

    public EchoScorer(String producer, int vocabSize, Clock clock) {
        this.producer = producer;
        this.vocabSize = vocabSize;
        this.clock = clock;
    }

    public StudentScores score(StudentSample sample) {
        int positions = sample.getTokenIdsCount();
        int[][] ids = new int[positions][1];
        float[][] logProbs = new float[positions][1];
        for (int p = 0; p < positions; p++) {
            int token = sample.getTokenIds(p);
            if (token < 0 || token >= vocabSize) {
                throw new RejectedRecordException("StudentSample.token_ids[" + p + "]: token " + token
                        + " outside the teacher vocabulary [0, " + vocabSize + ")");
            }
            ids[p][0] = token;
        }
        SparseDistribution pointMass = SparseDistribution.fromTopK(vocabSize, 1, ids, logProbs, 1f);
        return StudentScores.newBuilder()
                .setHeader(RecordHeader.newBuilder()
                        .setSchemaVersion(Wire.SCHEMA_VERSION)
                        .setJobId(sample.getHeader().getJobId())
                        .setProvenance(Provenance.newBuilder().setProducer(producer))
                        .setCreatedUnixMs(clock.millis()))
                .setRequestId(sample.getRequestId())
                .setExampleId(sample.getExampleId())
                .setStudentStep(sample.getStudentStep())
                .setDistribution(pointMass.toProto(TeacherDistribution.Quantization.FP32))
                .build();
    }
}
