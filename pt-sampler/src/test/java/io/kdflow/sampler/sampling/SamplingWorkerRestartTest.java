package io.kdflow.sampler.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.kdflow.core.job.JobSettings;
import io.kdflow.core.local.StreamingSteps;
import io.kdflow.core.model.ModelDirectory;
import io.kdflow.core.pt.PtInput;
import io.kdflow.core.testing.HfTiny;
import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.PseudoTarget;
import io.kdflow.core.wire.proto.PseudoTargetSpec;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.TeacherDistribution;
import io.kdflow.core.wire.proto.TrainingSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sampler across a crash, with the real bart-tiny teacher: the worker that owns generation is built twice, as
 * a restarted process builds it. The first dies after the broker acknowledged some steps (its sink never returns
 * again); the inputs whose offsets were not committed come again, cut into other batches than before (offsets are
 * committed per partition, a batch can span partitions), and the second worker regenerates exactly their records,
 * byte-equal to the first copies and to kd-core's generator. An input is acknowledged (its offset committable)
 * only once all its records are acknowledged, so none is skipped.
 */
class SamplingWorkerRestartTest {

    private static final String JOB = "restart";
    private static final String[] SOURCES = {"Thou art a villain.", "Good morrow, cousin.", "I pray thee, stay.",
        "What say you, sir?", "Hence, begone!"};

    @TempDir
    Path temp;

    @Test
    void shouldRegenerateExactlyTheUnacknowledgedInputsByteForByte() throws Exception {
        Path teacher = HfTiny.copyModel(HfTiny.BART, temp.resolve("teacher"));
        JobSettings settings = JobSettings.resolve(spec());
        List<PtInput> inputs = new ArrayList<>();
        for (int i = 0; i < SOURCES.length; i++) {
            inputs.add(PtInput.labeled("ex-" + i, SOURCES[i], "Target " + i));
        }

        // Process 1: dies after its 4th acknowledged step (batches [0,1] [2,3] [4] got GOLD + PT 0, [0,1] PT 1).
        Sink first = new Sink(4);
        List<String> acked = new CopyOnWriteArrayList<>();
        SamplingWorker worker = new SamplingWorker(first, Duration.ofMillis(200), new SimpleMeterRegistry());
        worker.teacherReady(settings, teacher);
        inputs.forEach(input -> worker.submit(settings, held(input, first, acked)));
        assertThat(first.dead.await(5, TimeUnit.MINUTES)).as("the first process reached its crash point").isTrue();
        worker.close();
        assertThat(acked).as("acknowledged: all K records and the GOLD one are on the broker")
                .containsExactly("ex-0", "ex-1");
        assertThat(first.records).hasSize(5 * 2 + 2); // GOLD + PT 0 of 5 inputs, PT 1 of 2

        // Process 2: the consumer group had committed ex-0 only; ex-1..ex-4 come again and batch as [1,2] [3,4].
        Sink second = new Sink(Integer.MAX_VALUE);
        List<String> ackedAgain = new CopyOnWriteArrayList<>();
        SamplingWorker restarted = new SamplingWorker(second, Duration.ofMillis(200), new SimpleMeterRegistry());
        restarted.teacherReady(settings, teacher);
        inputs.subList(1, inputs.size()).forEach(input -> restarted.submit(settings, held(input, second, ackedAgain)));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (ackedAgain.size() < 4 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        restarted.close();
        assertThat(ackedAgain).containsExactlyInAnyOrder("ex-1", "ex-2", "ex-3", "ex-4");
        assertThat(second.records).as("GOLD + 2 PTs of the 4 redelivered inputs, nothing else").hasSize(12)
                .allSatisfy(record -> assertThat(record.getExampleId()).isNotEqualTo("ex-0"));

        Map<String, byte[]> reference = new LinkedHashMap<>();
        try (NDManager manager = NDManager.newBaseManager();
                ModelDirectory model = ModelDirectory.load(teacher, manager)) {
            StreamingSteps.ptGenerator(settings, model).run(inputs,
                    record -> reference.put(identity(record), WireCodecs.PSEUDO_TARGET.encode(record)), s -> { });
        }
        Map<String, byte[]> firstCopies = bytes(first.records);
        Map<String, byte[]> secondCopies = bytes(second.records);
        for (Map.Entry<String, byte[]> copy : secondCopies.entrySet()) {
            if (firstCopies.containsKey(copy.getKey())) {
                assertThat(copy.getValue()).as("regenerated " + copy.getKey()).isEqualTo(firstCopies.get(copy.getKey()));
            }
        }
        Map<String, byte[]> union = new LinkedHashMap<>(firstCopies);
        secondCopies.forEach(union::putIfAbsent);
        assertThat(union.keySet()).containsExactlyInAnyOrderElementsOf(reference.keySet()).hasSize(15);
        union.forEach((identity, value) -> assertThat(value).as(identity).isEqualTo(reference.get(identity)));
    }

    /** An input whose acknowledgement checks that every record of it is on the broker. */
    private static HeldInput held(PtInput input, Sink sink, List<String> acked) {
        return new HeldInput(input, () -> {
            long published = sink.records.stream().filter(r -> r.getExampleId().equals(input.exampleId())).count();
            assertThat(published).as("records of " + input.exampleId() + " acknowledged before it").isEqualTo(3);
            acked.add(input.exampleId());
        }, cause -> { throw new AssertionError("rejected " + input.exampleId(), cause); });
    }

    /** The broker: acknowledges {@code steps} publishes, then the process is dead (the call never returns). */
    private static final class Sink implements RecordSink {
        final List<PseudoTarget> records = new CopyOnWriteArrayList<>();
        final CountDownLatch dead = new CountDownLatch(1);
        private final int steps;
        private int done;

        Sink(int steps) {
            this.steps = steps;
        }

        @Override
        public void publish(List<PseudoTarget> step) {
            if (done == steps) {
                dead.countDown();
                try {
                    new CountDownLatch(1).await(); // killed: nothing after this point happens
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("killed");
                }
            }
            records.addAll(step);
            done++;
        }
    }

    private static Map<String, byte[]> bytes(List<PseudoTarget> records) {
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        for (PseudoTarget record : records) {
            assertThat(bytes.put(identity(record), WireCodecs.PSEUDO_TARGET.encode(record))).as(identity(record))
                    .isNull();
        }
        return bytes;
    }

    private static String identity(PseudoTarget target) {
        return target.getExampleId() + "/" + target.getKind() + "/" + target.getPtIndex();
    }

    private static JobSpec spec() {
        return JobSpec.newBuilder()
                .setHeader(RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId(JOB))
                .setTask("style")
                .setPseudoTargets(PseudoTargetSpec.newBuilder().setNumPseudoTargets(2)
                        .setMode(PseudoTargetSpec.Mode.SAMPLING).setBatchSize(2).setDistributionTopK(8)
                        .setQuantization(TeacherDistribution.Quantization.FP16))
                .setTraining(TrainingSpec.newBuilder().setMaxSourceTokens(48).setMaxTargetTokens(16))
                .build();
    }
}
