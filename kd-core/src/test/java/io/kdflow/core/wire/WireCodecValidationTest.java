package io.kdflow.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.DeadLetter;
import io.kdflow.core.wire.proto.EvalReport;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.PseudoTarget;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.SourceExample;
import io.kdflow.core.wire.proto.Split;
import io.kdflow.core.wire.proto.StudentSample;
import io.kdflow.core.wire.proto.StudentScores;
import io.kdflow.core.wire.proto.TeacherDistribution;
import io.kdflow.core.wire.proto.TeacherDistribution.Quantization;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Every contract rule, checked through {@link WireCodec#decode} on bytes written without validation, with the
 * exact message a service would log or dead-letter.
 */
class WireCodecValidationTest {

    // ---- parsing and header -------------------------------------------------------------------------

    @Test
    void shouldRejectTruncatedBytes() {
        byte[] bytes = GoldenRecords.goldTargetFp16().toByteArray();

        assertThatThrownBy(() -> WireCodecs.PSEUDO_TARGET.decode(Arrays.copyOf(bytes, bytes.length - 3)))
                .isInstanceOf(WireFormatException.class)
                .hasMessageStartingWith("PseudoTarget: not a valid protobuf encoding (" + (bytes.length - 3)
                        + " bytes): ")
                .satisfies(e -> assertThat(((WireFormatException) e).fieldPath()).isEmpty());
    }

    @Test
    void shouldRejectGarbage() {
        byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};

        assertThatThrownBy(() -> WireCodecs.JOB_SPEC.decode(garbage))
                .isInstanceOf(WireFormatException.class)
                .hasMessageStartingWith("JobSpec: not a valid protobuf encoding (4 bytes): ");
    }

    @Test
    void shouldRejectNullBytes() {
        assertThatThrownBy(() -> WireCodecs.EVAL_REPORT.decode(null))
                .isInstanceOf(WireFormatException.class)
                .hasMessage("EvalReport: no bytes (null value)");
    }

    @Test
    void shouldRejectAMissingHeader() {
        assertRejected(WireCodecs.SOURCE_EXAMPLE, GoldenRecords.sourceExample().toBuilder().clearHeader().build(),
                "SourceExample.header: missing");
    }

    @Test
    void shouldRejectEmptyBytesAsAMissingHeader() {
        assertThatThrownBy(() -> WireCodecs.CHECKPOINT_EVENT.decode(new byte[0]))
                .hasMessage("CheckpointEvent.header: missing");
    }

    @Test
    void shouldRejectAnUnknownSchemaVersion() {
        assertRejected(WireCodecs.JOB_SPEC, GoldenRecords.jobSpec().toBuilder()
                        .setHeader(GoldenRecords.jobSpec().getHeader().toBuilder().setSchemaVersion(2)).build(),
                "JobSpec.header.schema_version: unknown schema version 2; this reader knows 1");
    }

    @Test
    void shouldRejectAnEmptyJobId() {
        assertRejected(WireCodecs.STUDENT_SAMPLE, GoldenRecords.studentSample().toBuilder()
                        .setHeader(header(h -> h.setJobId(""))).build(),
                "StudentSample.header.job_id: must not be empty");
    }

    @Test
    void shouldRejectAJobIdThatWouldBreakKeys() {
        assertRejected(WireCodecs.SOURCE_EXAMPLE, GoldenRecords.sourceExample().toBuilder()
                        .setHeader(header(h -> h.setJobId("a/b"))).build(),
                "SourceExample.header.job_id: must not contain '/' (record keys use it as separator), got \"a/b\"");
    }

    @Test
    void shouldAcceptADeadLetterOfAnUnknownJob() {
        DeadLetter letter = GoldenRecords.deadLetter().toBuilder().setHeader(header(h -> h.setJobId(""))).build();

        assertThat(WireCodecs.DEAD_LETTER.decode(letter.toByteArray())).isEqualTo(letter);
    }

    // ---- ids and enums ------------------------------------------------------------------------------

    @Test
    void shouldRejectEmptyExampleAndRequestIds() {
        assertRejected(WireCodecs.PSEUDO_TARGET, GoldenRecords.goldTargetFp16().toBuilder().setExampleId("").build(),
                "PseudoTarget.example_id: must not be empty");
        assertRejected(WireCodecs.SOURCE_EXAMPLE, GoldenRecords.sourceExample().toBuilder().setExampleId("").build(),
                "SourceExample.example_id: must not be empty");
        assertRejected(WireCodecs.STUDENT_SAMPLE, GoldenRecords.studentSample().toBuilder().setRequestId("").build(),
                "StudentSample.request_id: must not be empty");
        assertRejected(WireCodecs.STUDENT_SCORES, GoldenRecords.studentScores().toBuilder().setRequestId("").build(),
                "StudentScores.request_id: must not be empty");
        assertRejected(WireCodecs.STUDENT_SCORES, GoldenRecords.studentScores().toBuilder().setExampleId("").build(),
                "StudentScores.example_id: must not be empty");
    }

    @Test
    void shouldRejectUnsetAndUnknownEnums() {
        assertRejected(WireCodecs.SOURCE_EXAMPLE,
                GoldenRecords.sourceExample().toBuilder().setSplit(Split.SPLIT_UNSPECIFIED).build(),
                "SourceExample.split: must be set, got SPLIT_UNSPECIFIED");
        assertRejected(WireCodecs.PSEUDO_TARGET, GoldenRecords.goldTargetFp16().toBuilder().setKindValue(9).build(),
                "PseudoTarget.kind: unknown enum value 9");
        assertRejected(WireCodecs.EVAL_REPORT, GoldenRecords.evalReport().toBuilder().setRoleValue(0).build(),
                "EvalReport.role: must be set, got ROLE_UNSPECIFIED");
    }

    @Test
    void shouldRejectALabeledExampleWithoutReferences() {
        assertRejected(WireCodecs.SOURCE_EXAMPLE, GoldenRecords.sourceExample().toBuilder().clearReferences().build(),
                "SourceExample.references: a TRAIN example needs at least one reference");
    }

    @Test
    void shouldAcceptAnUnlabeledExampleWithoutReferences() {
        SourceExample unlabeled = GoldenRecords.sourceExample().toBuilder().setSplit(Split.UNLABELED)
                .clearReferences().build();

        assertThat(WireCodecs.SOURCE_EXAMPLE.decode(unlabeled.toByteArray())).isEqualTo(unlabeled);
    }

    // ---- pseudo-targets -----------------------------------------------------------------------------

    @Test
    void shouldRejectAPtIndexOutsideTheExamplesPts() {
        assertRejected(WireCodecs.PSEUDO_TARGET, GoldenRecords.teacherTargetInt8().toBuilder().setPtIndex(3).build(),
                "PseudoTarget.pt_index: pt_index=3 must be < num_pseudo_targets=3");
    }

    @Test
    void shouldAcceptAnyPtIndexWhenTheCountIsUnknown() {
        PseudoTarget target = GoldenRecords.teacherTargetInt8().toBuilder().setPtIndex(7).setNumPseudoTargets(0)
                .build();

        assertThat(WireCodecs.PSEUDO_TARGET.decode(target.toByteArray())).isEqualTo(target);
    }

    @Test
    void shouldRejectANonZeroIndexOnAGoldTarget() {
        assertRejected(WireCodecs.PSEUDO_TARGET, GoldenRecords.goldTargetFp16().toBuilder().setPtIndex(1).build(),
                "PseudoTarget.pt_index: must be 0 for a GOLD target, got 1");
    }

    @Test
    void shouldRejectADistributionOnAPassThroughTarget() {
        assertRejected(WireCodecs.PSEUDO_TARGET, GoldenRecords.goldTargetFp16().toBuilder()
                        .setKind(PseudoTarget.Kind.PASS_THROUGH).build(),
                "PseudoTarget.distribution: a PASS_THROUGH target carries no distribution");
    }

    @Test
    void shouldRejectADistributionWithOneRowPerTokenMissing() {
        PseudoTarget target = GoldenRecords.goldTargetFp16();

        assertRejected(WireCodecs.PSEUDO_TARGET, target.toBuilder().addTokenIds(5).build(),
                "PseudoTarget.distribution.positions: expected 17 (one per token of token_ids), got 16");
    }

    @Test
    void shouldRejectATargetTokenOutsideTheDistributionsVocabulary() {
        PseudoTarget target = GoldenRecords.goldTargetFp16();

        assertRejected(WireCodecs.PSEUDO_TARGET, target.toBuilder().setTokenIds(4, 600).build(),
                "PseudoTarget.token_ids[4]: token id 600 is outside [0, distribution.vocab_size=600)");
    }

    @Test
    void shouldRejectANegativeTokenIdAndAPositiveSequenceLogProb() {
        assertRejected(WireCodecs.STUDENT_SAMPLE, GoldenRecords.studentSample().toBuilder().setTokenIds(2, -1).build(),
                "StudentSample.token_ids[2]: token id must be >= 0, got -1");
        assertRejected(WireCodecs.PSEUDO_TARGET,
                GoldenRecords.goldTargetFp16().toBuilder().setSequenceLogProb(0.5).build(),
                "PseudoTarget.sequence_log_prob: must be finite and <= 0, got 0.5");
    }

    // ---- teacher distributions ----------------------------------------------------------------------

    @Test
    void shouldRejectLogProbBytesThatDoNotMatchTheShape() {
        PseudoTarget target = targetWithK2(32, Quantization.FP16);
        ByteString bytes = target.getDistribution().getLogProbs();

        assertRejected(WireCodecs.PSEUDO_TARGET, withDistribution(target, d -> d.setLogProbs(bytes.substring(2))),
                "PseudoTarget.distribution.log_probs: expected 128 bytes for 32 positions x k=2 at FP16, got 126");
    }

    @Test
    void shouldRejectKAboveTheVocabulary() {
        assertRejected(WireCodecs.PSEUDO_TARGET, withDistribution(GoldenRecords.goldTargetFp16(), d -> d.setK(601)),
                "PseudoTarget.distribution.k: k=601 exceeds vocab_size=600");
    }

    @Test
    void shouldRejectTokenIdsThatDoNotMatchTheShape() {
        assertRejected(WireCodecs.STUDENT_SCORES, scoresWithDistribution(d -> d.setPositions(14)),
                "StudentScores.distribution.token_ids: expected 56 ids for 14 positions x k=4, got 52");
    }

    @Test
    void shouldRejectHugeClaimedShapesWithoutAllocating() {
        assertRejected(WireCodecs.STUDENT_SCORES,
                scoresWithDistribution(d -> d.setPositions(-1).setVocabSize(Integer.MAX_VALUE).setK(-2)),
                "StudentScores.distribution.k: k=4294967294 exceeds vocab_size=2147483647");
        assertRejected(WireCodecs.STUDENT_SCORES,
                scoresWithDistribution(d -> d.setPositions(-1).setVocabSize(Integer.MAX_VALUE)
                        .setK(Integer.MAX_VALUE)),
                "StudentScores.distribution.token_ids: expected 9223372030412324865 ids for 4294967295 positions"
                        + " x k=2147483647, got 52");
    }

    @Test
    void shouldRejectATailPerPositionMissing() {
        assertRejected(WireCodecs.STUDENT_SCORES, scoresWithDistribution(d -> d.addTailLogMass(-3f)),
                "StudentScores.distribution.tail_log_mass: expected 13 values (one per position), got 14");
    }

    @Test
    void shouldRejectARowRangeOutsideInt8() {
        assertRejected(WireCodecs.STUDENT_SCORES, scoresWithDistribution(d -> d.addRowMin(-1f)),
                "StudentScores.distribution.row_min: only INT8 carries a row range, got values with FP32");
    }

    @Test
    void shouldRequireARowRangePerPositionForInt8() {
        PseudoTarget target = GoldenRecords.teacherTargetInt8();

        assertRejected(WireCodecs.PSEUDO_TARGET, withDistribution(target, TeacherDistribution.Builder::clearRowMax),
                "PseudoTarget.distribution.row_max: expected 15 values (one per position) for INT8, got 0");
        assertRejected(WireCodecs.PSEUDO_TARGET, withDistribution(target, d -> d.setRowMin(3, Float.NaN)),
                "PseudoTarget.distribution.row_min[3]: must be finite, got NaN");
        assertRejected(WireCodecs.PSEUDO_TARGET, withDistribution(target, d -> d.setRowMin(3, 1f)),
                "PseudoTarget.distribution.row_min[3]: row_min=1.0 exceeds row_max=" + d(target).getRowMax(3));
    }

    @Test
    void shouldRejectTokenIdsOutsideTheVocabulary() {
        assertRejected(WireCodecs.PSEUDO_TARGET,
                withDistribution(GoldenRecords.goldTargetFp16(), d -> d.setTokenIds(9, 600)),
                "PseudoTarget.distribution.token_ids[9]: token id 600 is outside [0, vocab_size=600)");
        assertRejected(WireCodecs.PSEUDO_TARGET,
                withDistribution(GoldenRecords.goldTargetFp16(), d -> d.setTokenIds(9, -5)),
                "PseudoTarget.distribution.token_ids[9]: token id -5 is outside [0, vocab_size=600)");
    }

    @Test
    void shouldRejectATokenIdTwiceAtOnePosition() {
        PseudoTarget target = GoldenRecords.goldTargetFp16();

        assertRejected(WireCodecs.PSEUDO_TARGET, withDistribution(target, d -> d.setTokenIds(9, d.getTokenIds(8))),
                "PseudoTarget.distribution.token_ids: token id " + d(target).getTokenIds(8)
                        + " appears twice at position 1");
    }

    @Test
    void shouldRejectAnUnspecifiedOrUnknownQuantization() {
        assertRejected(WireCodecs.STUDENT_SCORES,
                scoresWithDistribution(d -> d.setQuantization(Quantization.QUANTIZATION_UNSPECIFIED)),
                "StudentScores.distribution.quantization: must be FP32, FP16 or INT8, got QUANTIZATION_UNSPECIFIED");
        assertRejected(WireCodecs.STUDENT_SCORES, scoresWithDistribution(d -> d.setQuantizationValue(4)),
                "StudentScores.distribution.quantization: unknown enum value 4");
    }

    @Test
    void shouldRejectNonFiniteLogProbs() {
        assertRejected(WireCodecs.STUDENT_SCORES, scoresWithDistribution(d -> d.setLogProbs(fp32(d, 5, Float.NaN))),
                "StudentScores.distribution.log_probs: non-finite value NaN at position 1, rank 1");
        // 0xfc00 is -infinity in FP16.
        assertRejected(WireCodecs.PSEUDO_TARGET, withDistribution(GoldenRecords.goldTargetFp16(),
                        d -> d.setLogProbs(fp16(d, 23, (short) 0xfc00))),
                "PseudoTarget.distribution.log_probs: non-finite value -Infinity at position 2, rank 7");
    }

    @Test
    void shouldRejectPositiveLogProbsBeyondRounding() {
        assertRejected(WireCodecs.STUDENT_SCORES, scoresWithDistribution(d -> d.setLogProbs(fp32(d, 0, 0.01f))),
                "StudentScores.distribution.log_probs: log-prob 0.01 > 0 at position 0, rank 0");
    }

    @Test
    void shouldAcceptLogProbsARoundingErrorAboveZero() {
        StudentScores scores = scoresWithDistribution(d -> d.setLogProbs(fp32(d, 0, 5e-5f)));

        assertThat(WireCodecs.STUDENT_SCORES.decode(scores.toByteArray())).isEqualTo(scores);
    }

    @Test
    void shouldRejectLogProbsOutOfDescendingOrder() {
        assertRejected(WireCodecs.STUDENT_SCORES, scoresWithDistribution(d -> d.setLogProbs(fp32(d, 3, -0.001f))),
                "StudentScores.distribution.log_probs: not in descending order at position 0, rank 3: -0.001 > "
                        + d(GoldenRecords.studentScores()).getLogProbs().asReadOnlyByteBuffer()
                        .order(ByteOrder.LITTLE_ENDIAN).getFloat(8) + " at rank 2");
    }

    @Test
    void shouldRejectABrokenTail() {
        assertRejected(WireCodecs.STUDENT_SCORES, scoresWithDistribution(d -> d.setTailLogMass(2, Float.NaN)),
                "StudentScores.distribution.tail_log_mass[2]: NaN");
        assertRejected(WireCodecs.STUDENT_SCORES, scoresWithDistribution(d -> d.setTailLogMass(2, 0.5f)),
                "StudentScores.distribution.tail_log_mass[2]: log-mass 0.5 > 0");
    }

    @Test
    void shouldRequireAnEmptyTailWhenKCoversTheVocabulary() {
        TeacherDistribution exact = SparseDistribution.fromLogProbs(new float[][] {{-0.5f, -1.2f}}, 2)
                .toProto(Quantization.FP32).toBuilder().setTailLogMass(0, -9f).build();

        assertThatThrownBy(() -> SparseDistribution.fromProto(exact))
                .hasMessage("TeacherDistribution.tail_log_mass[0]: must be -Infinity when k == vocab_size (no tokens"
                        + " left), got -9.0");
    }

    @Test
    void shouldRejectAMissingTemperature() {
        assertRejected(WireCodecs.STUDENT_SCORES, scoresWithDistribution(TeacherDistribution.Builder::clearTemperature),
                "StudentScores.distribution.temperature: must be finite and > 0 (1.0 = the unscaled distribution),"
                        + " got 0.0");
    }

    @Test
    void shouldRequireScoresToCarryADistribution() {
        assertRejected(WireCodecs.STUDENT_SCORES, GoldenRecords.studentScores().toBuilder().clearDistribution().build(),
                "StudentScores.distribution: missing");
    }

    // ---- checkpoints, reports, dead letters, jobs ---------------------------------------------------

    @Test
    void shouldRejectAMalformedChecksumAndOffsets() {
        assertRejected(WireCodecs.CHECKPOINT_EVENT, GoldenRecords.checkpointEvent().toBuilder()
                        .setSha256("ABC").build(),
                "CheckpointEvent.sha256: must be 64 lower-case hex digits (sha256), got \"ABC\"");
        CheckpointEvent event = GoldenRecords.checkpointEvent();
        assertRejected(WireCodecs.CHECKPOINT_EVENT, event.toBuilder()
                        .setConsumed(1, event.getConsumed(1).toBuilder().setOffset(-4)).build(),
                "CheckpointEvent.consumed[1].offset: must be >= 0, got -4");
    }

    @Test
    void shouldRejectNonFiniteMetrics() {
        assertRejected(WireCodecs.EVAL_REPORT, GoldenRecords.evalReport().toBuilder().putMetrics("bleu", Double.NaN)
                        .build(),
                "EvalReport.metrics[bleu]: must be finite, got NaN");
    }

    @Test
    void shouldRejectAMultiLineDeadLetterReason() {
        assertRejected(WireCodecs.DEAD_LETTER, GoldenRecords.deadLetter().toBuilder().setReason("a\nb").build(),
                "DeadLetter.reason: must be one line");
    }

    @Test
    void shouldRejectAJobWithoutTask() {
        assertRejected(WireCodecs.JOB_SPEC, GoldenRecords.jobSpec().toBuilder().setTask("").build(),
                "JobSpec.task: must not be empty");
    }

    @Test
    void shouldRefuseToEncodeWhatDecodingWouldReject() {
        SourceExample noId = GoldenRecords.sourceExample().toBuilder().setExampleId("").build();

        assertThatThrownBy(() -> WireCodecs.SOURCE_EXAMPLE.encode(noId))
                .isInstanceOf(WireFormatException.class)
                .hasMessage("SourceExample.example_id: must not be empty");
    }

    @Test
    void shouldExposeTheRecordTypeFieldAndProblemSeparately() {
        WireFormatException error = new WireFormatException("PseudoTarget", "distribution.k", "k=9 exceeds vocab");

        assertThat(error.recordType()).isEqualTo("PseudoTarget");
        assertThat(error.fieldPath()).isEqualTo("distribution.k");
        assertThat(error.problem()).isEqualTo("k=9 exceeds vocab");
        assertThat(error).hasMessage("PseudoTarget.distribution.k: k=9 exceeds vocab");
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private static <T extends Message> void assertRejected(WireCodec<T> codec, T record, String message) {
        assertThatThrownBy(() -> codec.decode(record.toByteArray()))
                .isInstanceOf(WireFormatException.class)
                .hasMessage(message);
    }

    private static RecordHeader header(UnaryOperator<RecordHeader.Builder> change) {
        return change.apply(GoldenRecords.header("test/0", "", 1).toBuilder()).build();
    }

    private static TeacherDistribution d(PseudoTarget target) {
        return target.getDistribution();
    }

    private static TeacherDistribution d(StudentScores scores) {
        return scores.getDistribution();
    }

    private static PseudoTarget withDistribution(PseudoTarget target,
            UnaryOperator<TeacherDistribution.Builder> change) {
        return target.toBuilder().setDistribution(change.apply(target.getDistribution().toBuilder())).build();
    }

    /** The golden scores (13 positions x k=4, FP32) with a changed distribution. */
    private static StudentScores scoresWithDistribution(UnaryOperator<TeacherDistribution.Builder> change) {
        StudentScores scores = GoldenRecords.studentScores();
        return scores.toBuilder().setDistribution(change.apply(scores.getDistribution().toBuilder())).build();
    }

    private static ByteString fp32(TeacherDistribution.Builder distribution, int index, float value) {
        ByteBuffer bytes = ByteBuffer.wrap(distribution.getLogProbs().toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putFloat(index * Float.BYTES, value);
        return ByteString.copyFrom(bytes.array());
    }

    private static ByteString fp16(TeacherDistribution.Builder distribution, int index, short half) {
        ByteBuffer bytes = ByteBuffer.wrap(distribution.getLogProbs().toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putShort(index * 2, half);
        return ByteString.copyFrom(bytes.array());
    }

    /** A PT over {@code positions} random tokens of a 50-token vocabulary, with a top-2 distribution. */
    private static PseudoTarget targetWithK2(int positions, Quantization quantization) {
        Random random = new Random(3);
        float[][] rows = new float[positions][50];
        PseudoTarget.Builder target = GoldenRecords.goldTargetFp16().toBuilder().clearTokenIds();
        for (int p = 0; p < positions; p++) {
            float[] logits = new float[50];
            for (int v = 0; v < 50; v++) {
                logits[v] = (float) random.nextGaussian();
            }
            rows[p] = SparseDistributionTest.logSoftmax(logits);
            target.addTokenIds(random.nextInt(50));
        }
        return target.setDistribution(SparseDistribution.fromLogProbs(rows, 2).toProto(quantization)).build();
    }
}
