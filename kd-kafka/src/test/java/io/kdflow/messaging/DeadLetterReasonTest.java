package io.kdflow.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.WireFormatException;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.SourceExample;
import io.kdflow.core.wire.proto.Split;
import io.kdflow.core.wire.proto.TrainingSpec;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DeadLetterReasonTest {

    private static final byte[] CORRUPT = {0x7f, 0x00, 0x13};

    @Test
    void shouldClassifyWireFailuresAsMalformedWrongTypeOrBadValue() {
        byte[] spec = spec();
        SourceExample empty = SourceExample.newBuilder().setHeader(header("j")).setExampleId("e").setSplit(Split.TRAIN)
                .build();

        assertThat(DeadLetterReason.of(Topics.EXAMPLES, CORRUPT, decodeFailure(CORRUPT))).isEqualTo(DeadLetterReason.MALFORMED);
        assertThat(DeadLetterReason.of(Topics.EXAMPLES, spec, decodeFailure(spec))).isEqualTo(DeadLetterReason.WRONG_TYPE);
        byte[] emptySource = empty.toByteArray();
        assertThat(DeadLetterReason.of(Topics.EXAMPLES, emptySource, decodeFailure(emptySource)))
                .isEqualTo(DeadLetterReason.BAD_VALUE);
        assertThat(DeadLetterReason.otherRecordType(Topics.EXAMPLES, spec)).contains("JobSpec");
        assertThat(DeadLetterReason.otherRecordType(Topics.JOBS, spec)).isEmpty();
        // A SourceExample without references also validates as a lenient JobSpec (task = example_id), but it has
        // no field a SourceExample lacks: it is a broken example, not a record of the wrong type.
        assertThat(DeadLetterReason.otherRecordType(Topics.EXAMPLES, emptySource)).isEmpty();
    }

    @Test
    void shouldNameTheRecordTypeOfAWrongTypeInTheDeadLetterReason() {
        byte[] spec = spec();

        String reason = new DeadLetters("sampler").of(Topics.EXAMPLES, 0, 7, "j/e".getBytes(StandardCharsets.UTF_8),
                spec, decodeFailure(spec)).getReason();

        assertThat(reason).startsWith("SourceExample").endsWith(" | the value is a valid JobSpec record: the wrong"
                + " record type for kdflow.examples.v1");
    }

    @Test
    void shouldClassifyServiceRejectionsByTheirKdCoreMessages() {
        assertThat(of("path outside the model store root: store:../x")).isEqualTo(DeadLetterReason.PATH_OUTSIDE_STORE);
        assertThat(of("path leaves the model store through a link: store:l")).isEqualTo(DeadLetterReason.PATH_OUTSIDE_STORE);
        assertThat(of("model store URI must name a relative path: store:/etc")).isEqualTo(DeadLetterReason.PATH_OUTSIDE_STORE);
        assertThat(of("checkpoint d: file config.json differs from its manifest entry (size or sha256)"))
                .isEqualTo(DeadLetterReason.TAMPERED_CHECKPOINT);
        assertThat(of("checkpoint d: manifest sha256 1 differs from the announced 2"))
                .isEqualTo(DeadLetterReason.TAMPERED_CHECKPOINT);
        assertThat(of("checkpoint d: listed file model.safetensors is missing")).isEqualTo(DeadLetterReason.MISSING_FILE);
        assertThat(of("checkpoint store:x has no config.json")).isEqualTo(DeadLetterReason.MISSING_FILE);
        assertThat(of("StudentSample.header.job_id: unknown job 'x' (no JobSpec on kdflow.jobs.v1)"))
                .isEqualTo(DeadLetterReason.UNKNOWN_JOB);
        assertThat(of("JobSpec.training.batch_size: 0 is not allowed (must be 1..4096)"))
                .isEqualTo(DeadLetterReason.BAD_VALUE);
        assertThat(DeadLetterReason.TAMPERED_CHECKPOINT.tag()).isEqualTo("tampered_checkpoint");
    }

    @Test
    void shouldLetAClassifiedFailureNameItsOwnClass() {
        class Tampered extends BadInputException implements DeadLetterReason.Classified {
            Tampered() {
                super("weights changed");
            }

            @Override
            public DeadLetterReason deadLetterReason() {
                return DeadLetterReason.TAMPERED_CHECKPOINT;
            }
        }
        assertThat(DeadLetterReason.of(Topics.CHECKPOINTS, null, new IllegalStateException("wrapped", new Tampered())))
                .isEqualTo(DeadLetterReason.TAMPERED_CHECKPOINT);
    }

    private static DeadLetterReason of(String message) {
        return DeadLetterReason.of(Topics.CHECKPOINTS, null, new BadInputException(message));
    }

    private static WireFormatException decodeFailure(byte[] value) {
        WireFormatException[] thrown = new WireFormatException[1];
        assertThatThrownBy(() -> WireCodecs.SOURCE_EXAMPLE.decode(value)).isInstanceOfSatisfying(
                WireFormatException.class, e -> thrown[0] = e);
        return thrown[0];
    }

    /** A job spec as the CLI writes it: with its training section (a field no SourceExample has). */
    private static byte[] spec() {
        return WireCodecs.JOB_SPEC.encode(JobSpec.newBuilder().setHeader(header("j")).setTask("style")
                .setTraining(TrainingSpec.newBuilder().setMaxSourceTokens(48)).build());
    }

    private static RecordHeader header(String job) {
        return RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId(job).build();
    }
}
