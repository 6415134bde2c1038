package io.kdflow.core.pt;

import io.kdflow.core.wire.SparseDistribution;
import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.proto.PseudoTarget;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.Split;
import io.kdflow.core.wire.proto.TeacherDistribution.Quantization;

/** Small valid PseudoTarget records for the file and plan tests (no model needed). */
final class PtRecords {

    private PtRecords() {}

    /** A TEACHER record (or GOLD with ptIndex 0) of {@code k} PTs, target "id/kind/pt", 3 tokens with a distribution. */
    static PseudoTarget record(String exampleId, Split split, PseudoTarget.Kind kind, int ptIndex, int k) {
        int[][] ids = {{5, 7}, {6, 1}, {2, 3}};
        float[][] logProbs = {{-0.1f, -3f}, {-0.2f, -2.5f}, {-0.05f, -4f}};
        PseudoTarget.Builder builder = PseudoTarget.newBuilder()
                .setHeader(RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId("job-1"))
                .setExampleId(exampleId)
                .setSplit(split)
                .setKind(kind)
                .setPtIndex(ptIndex)
                .setNumPseudoTargets(k)
                .setSource("source of " + exampleId)
                .setText(exampleId + "/" + kind + "/" + ptIndex)
                .addSourceTokenIds(0).addSourceTokenIds(9).addSourceTokenIds(2)
                .addTokenIds(5).addTokenIds(6).addTokenIds(2)
                .setSequenceLogProb(-0.35);
        if (kind != PseudoTarget.Kind.PASS_THROUGH) {
            builder.setDistribution(SparseDistribution.fromTopK(16, 2, ids, logProbs, 1f).toProto(Quantization.FP16));
        }
        return builder.build();
    }

    static PseudoTarget teacher(String exampleId, Split split, int ptIndex, int k) {
        return record(exampleId, split, PseudoTarget.Kind.TEACHER, ptIndex, k);
    }

    static PseudoTarget gold(String exampleId, int k) {
        return record(exampleId, Split.TRAIN, PseudoTarget.Kind.GOLD, 0, k);
    }
}
