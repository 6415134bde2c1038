package io.kdflow.core.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import io.kdflow.core.testing.SeededTries;
import io.kdflow.core.wire.proto.PseudoTarget;
import io.kdflow.core.wire.proto.StudentScores;
import io.kdflow.core.wire.proto.TeacherDistribution;
import io.kdflow.core.wire.proto.TeacherDistribution.Quantization;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Decoders face whatever a topic holds: every input either decodes to a record that passes its contract or
 * fails with a {@link WireFormatException}; any other exception fails these tests. Every input is tried with
 * every codec (bytes of one record type read as another are part of the fuzz). 2,000 seeded tries per check.
 */
class WireFuzzTest {

    private static final int TRIES = 2_000;

    @Test
    void shouldDecodeOrRejectArbitraryBytes() {
        SeededTries.run(1, TRIES, random -> decodeWithEveryCodec(SeededTries.bytes(random, 400)));
    }

    /** Random but well-formed protobuf fields (numbers 1..12, every wire type), so validation gets reached. */
    @Test
    void shouldDecodeOrRejectRandomProtobufFields() {
        SeededTries.run(2, TRIES, random -> decodeWithEveryCodec(randomFields(random, 0)));
    }

    @Test
    void shouldDecodeOrRejectBitFlipsOfGoldenRecords() {
        String[] names = GoldenRecords.NAMES;
        SeededTries.run(3, TRIES, random -> {
            byte[] bytes = GoldenFixtures.bytes(names[random.nextInt(names.length)]);
            for (int flips = 1 + random.nextInt(8); flips > 0; flips--) {
                int bit = random.nextInt(bytes.length * 8);
                bytes[bit / 8] ^= (byte) (1 << (bit % 8));
            }
            decodeWithEveryCodec(bytes);
        });
    }

    @Test
    void shouldDecodeOrRejectEveryTruncationOfGoldenRecords() {
        for (String name : GoldenRecords.NAMES) {
            byte[] bytes = GoldenFixtures.bytes(name);
            for (int length = 0; length < bytes.length; length++) {
                decodeWithEveryCodec(Arrays.copyOf(bytes, length));
            }
        }
    }

    @Test
    void shouldRoundTripJobSpecs() {
        SeededTries.run(11, TRIES, random -> {
            long seed = random.nextLong();
            assertRoundTrip(WireCodecs.JOB_SPEC, seed, RandomRecords::jobSpec);
        });
    }

    @Test
    void shouldRoundTripSourceExamples() {
        SeededTries.run(12, TRIES, random -> {
            long seed = random.nextLong();
            assertRoundTrip(WireCodecs.SOURCE_EXAMPLE, seed, RandomRecords::sourceExample);
        });
    }

    @Test
    void shouldRoundTripPseudoTargets() {
        SeededTries.run(13, TRIES, random -> {
            long seed = random.nextLong();
            PseudoTarget target = assertRoundTrip(WireCodecs.PSEUDO_TARGET, seed, RandomRecords::pseudoTarget);
            if (target.hasDistribution()) {
                assertStableUnderRequantization(target.getDistribution());
            }
        });
    }

    @Test
    void shouldRoundTripStudentSamples() {
        SeededTries.run(14, TRIES, random -> {
            long seed = random.nextLong();
            assertRoundTrip(WireCodecs.STUDENT_SAMPLE, seed, RandomRecords::studentSample);
        });
    }

    @Test
    void shouldRoundTripStudentScores() {
        SeededTries.run(15, TRIES, random -> {
            long seed = random.nextLong();
            StudentScores scores = assertRoundTrip(WireCodecs.STUDENT_SCORES, seed, RandomRecords::studentScores);
            assertStableUnderRequantization(scores.getDistribution());
        });
    }

    @Test
    void shouldRoundTripCheckpointEvents() {
        SeededTries.run(16, TRIES, random -> {
            long seed = random.nextLong();
            assertRoundTrip(WireCodecs.CHECKPOINT_EVENT, seed, RandomRecords::checkpointEvent);
        });
    }

    @Test
    void shouldRoundTripEvalReports() {
        SeededTries.run(17, TRIES, random -> {
            long seed = random.nextLong();
            assertRoundTrip(WireCodecs.EVAL_REPORT, seed, RandomRecords::evalReport);
        });
    }

    @Test
    void shouldRoundTripDeadLetters() {
        SeededTries.run(18, TRIES, random -> {
            long seed = random.nextLong();
            assertRoundTrip(WireCodecs.DEAD_LETTER, seed, RandomRecords::deadLetter);
        });
    }

    private static <T extends Message> T assertRoundTrip(WireCodec<T> codec, long seed,
            Function<RandomRecords, T> generator) {
        T record = generator.apply(new RandomRecords(seed));

        T decoded = codec.decode(codec.encode(record));

        assertThat(decoded).isEqualTo(record);
        return decoded;
    }

    /** Decoding and encoding again at the same quantization gives the same log-probs (INT8: to float rounding). */
    private static void assertStableUnderRequantization(TeacherDistribution wire) {
        SparseDistribution once = SparseDistribution.fromProto(wire);
        TeacherDistribution again = once.toProto(wire.getQuantization());
        if (wire.getQuantization() != Quantization.INT8) {
            assertThat(again).isEqualTo(wire);
            return;
        }
        SparseDistribution twice = SparseDistribution.fromProto(again);
        for (int p = 0; p < once.positions(); p++) {
            double tolerance = 1e-5 * (1 + Math.abs(once.logProb(p, once.k() - 1)));
            for (int j = 0; j < once.k(); j++) {
                assertThat((double) Math.abs(twice.logProb(p, j) - once.logProb(p, j))).isLessThanOrEqualTo(tolerance);
            }
        }
    }

    private static void decodeWithEveryCodec(byte[] bytes) {
        for (WireCodec<?> codec : WireCodecs.all()) {
            decodeOrReject(codec, bytes);
        }
    }

    /** Accepted records must survive re-encoding and the distribution decoder; rejections name the record type. */
    private static <T extends Message> void decodeOrReject(WireCodec<T> codec, byte[] bytes) {
        T record;
        try {
            record = codec.decode(bytes);
        } catch (WireFormatException rejected) {
            assertThat(rejected.recordType()).isEqualTo(codec.recordType());
            assertThat(rejected).hasMessageStartingWith(codec.recordType());
            return;
        }
        assertThat(codec.decode(codec.encode(record))).isEqualTo(record);
        if (record instanceof PseudoTarget target && target.hasDistribution()) {
            SparseDistribution.fromProto(target.getDistribution());
        }
        if (record instanceof StudentScores scores) {
            SparseDistribution.fromProto(scores.getDistribution());
        }
    }

    private static byte[] randomFields(Random random, int depth) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        for (int i = random.nextInt(12); i > 0; i--) {
            int field = 1 + random.nextInt(12);
            switch (random.nextInt(5)) {
                case 0 -> out.writeUInt64(field, random.nextInt(3) == 0 ? random.nextLong() : random.nextInt(8));
                case 1 -> out.writeFixed64(field, random.nextLong());
                case 2 -> out.writeFloat(field, random.nextBoolean() ? -random.nextFloat() * 10 : random.nextFloat());
                case 3 -> out.writeBytes(field, ByteString.copyFrom(depth < 2
                        ? randomFields(random, depth + 1) : new byte[random.nextInt(8)]));
                default -> out.writeString(field, Integer.toString(random.nextInt(1000)));
            }
        }
        out.flush();
        return bytes.toByteArray();
    }
}
