package io.kdflow.core.wire;

import com.google.protobuf.ByteString;
import io.kdflow.core.wire.proto.TeacherDistribution;
import io.kdflow.core.wire.proto.TeacherDistribution.Quantization;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The byte layout of {@code TeacherDistribution.log_probs}: row-major (positions x k) values, little-endian.
 * <ul>
 *   <li>FP32: 4 bytes per value, exact.</li>
 *   <li>FP16: 2 bytes per value, IEEE binary16 round-to-nearest-even; finite values beyond the half range
 *       saturate to +-65504 instead of becoming infinite.</li>
 *   <li>INT8: 1 unsigned byte q per value; per row {@code q = round((v - row_min) * 255 / (row_max - row_min))}
 *       (0 when the row is constant) and {@code v = row_min + (row_max - row_min) * q / 255}, both in
 *       double precision, so q = 0 and q = 255 give back the row's exact minimum and maximum.</li>
 * </ul>
 * Both directions are monotone, so a row sorted by descending log-prob stays sorted after a round trip.
 * Encoding and decoding go through {@link SparseDistribution#toProto} and {@link SparseDistribution#fromProto},
 * which check the shape first.
 */
public final class LogProbQuantization {

    private static final int INT8_LEVELS = 255;

    private LogProbQuantization() {
    }

    /** Encoded log-probs with the per-row range (empty arrays unless INT8). */
    record Encoded(ByteString bytes, float[] rowMin, float[] rowMax) {
    }

    /** Bytes one log-prob value takes on the wire. */
    public static int bytesPerValue(Quantization quantization) {
        return switch (quantization) {
            case FP32 -> Float.BYTES;
            case FP16 -> 2;
            case INT8 -> 1;
            default -> throw new IllegalArgumentException(
                    "quantization must be FP32, FP16 or INT8, got " + quantization);
        };
    }

    /** Encodes finite row-major {@code positions x k} values. */
    static Encoded encode(float[] values, int positions, int k, Quantization quantization) {
        if ((long) positions * k != values.length) {
            throw new IllegalArgumentException(
                    "expected " + (long) positions * k + " values for " + positions + " positions x k=" + k
                            + ", got " + values.length);
        }
        ByteBuffer out = ByteBuffer.allocate(values.length * bytesPerValue(quantization))
                .order(ByteOrder.LITTLE_ENDIAN);
        float[] rowMin = new float[0];
        float[] rowMax = new float[0];
        switch (quantization) {
            case FP32 -> {
                for (float value : values) {
                    out.putFloat(value);
                }
            }
            case FP16 -> {
                for (float value : values) {
                    out.putShort(Fp16.fromFloat(Math.max(-Fp16.MAX_VALUE, Math.min(Fp16.MAX_VALUE, value))));
                }
            }
            default -> {
                rowMin = new float[positions];
                rowMax = new float[positions];
                encodeInt8(values, positions, k, out, rowMin, rowMax);
            }
        }
        out.flip();
        return new Encoded(ByteString.copyFrom(out), rowMin, rowMax);
    }

    /**
     * Decodes the log-probs of a distribution whose sizes were already checked (token_ids, log_probs and the
     * INT8 row range agree with positions x k).
     */
    static float[] decode(TeacherDistribution distribution) {
        int count = distribution.getTokenIdsCount();
        Quantization quantization = distribution.getQuantization();
        ByteBuffer in = distribution.getLogProbs().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[count];
        switch (quantization) {
            case FP32 -> {
                for (int i = 0; i < count; i++) {
                    values[i] = in.getFloat();
                }
            }
            case FP16 -> {
                for (int i = 0; i < count; i++) {
                    values[i] = Fp16.toFloat(in.getShort());
                }
            }
            case INT8 -> decodeInt8(distribution, in, values);
            default -> throw new IllegalArgumentException(
                    "quantization must be FP32, FP16 or INT8, got " + quantization);
        }
        return values;
    }

    /** The INT8 value of level {@code q} (0..255) in the row range {@code [rowMin, rowMax]}. */
    public static float int8Value(int q, float rowMin, float rowMax) {
        double range = (double) rowMax - rowMin;
        return (float) (rowMin + range * q / INT8_LEVELS);
    }

    private static void encodeInt8(float[] values, int positions, int k, ByteBuffer out, float[] rowMin,
            float[] rowMax) {
        for (int p = 0; p < positions; p++) {
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                min = Math.min(min, values[p * k + j]);
                max = Math.max(max, values[p * k + j]);
            }
            rowMin[p] = min;
            rowMax[p] = max;
            double range = (double) max - min;
            for (int j = 0; j < k; j++) {
                long level = range == 0 ? 0 : Math.round((values[p * k + j] - (double) min) * INT8_LEVELS / range);
                out.put((byte) Math.max(0, Math.min(INT8_LEVELS, level)));
            }
        }
    }

    private static void decodeInt8(TeacherDistribution distribution, ByteBuffer in, float[] values) {
        int positions = distribution.getRowMinCount();
        int k = positions == 0 ? 0 : values.length / positions;
        for (int p = 0; p < positions; p++) {
            float min = distribution.getRowMin(p);
            float max = distribution.getRowMax(p);
            for (int j = 0; j < k; j++) {
                values[p * k + j] = int8Value(in.get() & 0xFF, min, max);
            }
        }
    }
}
