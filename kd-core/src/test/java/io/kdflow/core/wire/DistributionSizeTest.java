package io.kdflow.core.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedOutputStream;
import io.kdflow.core.wire.proto.TeacherDistribution;
import io.kdflow.core.wire.proto.TeacherDistribution.Quantization;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Wire bytes per target token of a k = 64 distribution (the table in docs/wire.md). Token ids are packed
 * varints: 2 bytes below 16384, 3 bytes from 16384 up to 2^21, so the vocabulary region the top-k ids fall
 * into matters as much as the quantization.
 */
class DistributionSizeTest {

    private static final int K = 64;
    private static final int POSITIONS = 128;
    private static final int VOCAB = 50_265; // BART

    @ParameterizedTest(name = "{0}, ids from {1}: {2} log-prob bytes, {5} bytes/token")
    @CsvSource({
        // quantization, first id, log-prob bytes, id bytes, range bytes, total per token
        "FP32, 16384, 256, 192, 0, 452",
        "FP16, 16384, 128, 192, 0, 324",
        "INT8, 16384,  64, 192, 8, 268",
        "FP32,   128, 256, 128, 0, 388",
        "FP16,   128, 128, 128, 0, 260",
        "INT8,   128,  64, 128, 8, 204",
    })
    void shouldTakeTheDocumentedBytesPerToken(Quantization quantization, int firstId, int logProbBytes, int idBytes,
            int rangeBytes, int perToken) {
        TeacherDistribution wire = distribution(firstId).toProto(quantization);

        assertThat(wire.getLogProbs().size()).isEqualTo(POSITIONS * logProbBytes);
        assertThat(packedVarintBytes(wire)).isEqualTo(POSITIONS * idBytes);
        assertThat((wire.getRowMinCount() + wire.getRowMaxCount()) * Float.BYTES).isEqualTo(POSITIONS * rangeBytes);
        assertThat(wire.getTailLogMassCount() * Float.BYTES).isEqualTo(POSITIONS * 4);
        assertThat(logProbBytes + idBytes + rangeBytes + 4).isEqualTo(perToken);
        // Tags, lengths, vocab_size, k, positions, temperature: under one byte per token at 128 positions.
        assertThat(wire.getSerializedSize() - POSITIONS * perToken).isBetween(0, POSITIONS - 1);
    }

    /** 128 positions x 64 distinct ids starting at {@code firstId}, log-probs descending. */
    private static SparseDistribution distribution(int firstId) {
        int[][] ids = new int[POSITIONS][K];
        float[][] logProbs = new float[POSITIONS][K];
        for (int p = 0; p < POSITIONS; p++) {
            for (int j = 0; j < K; j++) {
                ids[p][j] = firstId + (p * 131 + j * 211) % (16_000);
                logProbs[p][j] = -0.05f - 0.3f * j - 0.001f * p;
            }
        }
        return SparseDistribution.fromTopK(VOCAB, K, ids, logProbs, 1f);
    }

    private static int packedVarintBytes(TeacherDistribution wire) {
        int bytes = 0;
        for (int id : wire.getTokenIdsList()) {
            bytes += CodedOutputStream.computeUInt32SizeNoTag(id);
        }
        return bytes;
    }
}
