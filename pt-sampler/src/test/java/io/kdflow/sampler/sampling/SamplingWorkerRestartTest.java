package io.kdflow.sampler.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import io.kdflow.core.job.JobSettings;
import io.kdflow.core.local.StreamingSteps;
import io.kdflow.core.model.ModelDirectory;
import io.kdflow.core.pt.PtInput;
import io.kdflow.core.testing.HfTiny;
import io.kdflow.core.wire.SparseDistribution;
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
 * again); the inputs whose offsets were not committed come again and the second worker regenerates exactly their
 * records: byte-equal to the first copies and to kd-core's generator when they batch as before, the same tokens
 * (floats within rounding) when they batch differently. An input is acknowledged (its offset committable) only
 * once all its records are acknowledged, so none is skipped.
 */
class SamplingWorkerRestartTest {

    private static final String JOB = "restart";
    private static final String[] SOURCES = {"Thou art a villain.", "Good morrow, cousin.", "I pray thee, stay.",
        "What say you, sir?", "Hence, begone!"};

    @TempDir
    Path temp;

    @Test
    void shouldRegenerateTheUncommittedInputsByteForByteWhenTheyBatchAsBefore() throws Exception {
        // single partition: acknowledgements come a whole batch at a time, so the committed offset is a batch
        // boundary and the redelivered inputs [2,3] [4] form the batches they formed before
        Crash crash = crash();
        Restart restart = restart(crash, crash.inputs().subList(2, crash.inputs().size()));

        assertThat(restart.records()).as("GOLD + 2 PTs of the 3 redelivered inputs, nothing else").hasSize(9);
        Map<String, byte[]> firstCopies = bytes(crash.sink().records);
        Map<String, byte[]> again = bytes(restart.records());
        assertThat(again.keySet()).hasSize(9).as("regenerated records already published before the crash (GOLD and"
                + " PT 0)").filteredOn(firstCopies::containsKey).hasSize(6);
        again.forEach((identity, value) -> {
            if (firstCopies.containsKey(identity)) {
                assertThat(value).as("regenerated " + identity).isEqualTo(firstCopies.get(identity));
            }
        });
        Map<String, byte[]> union = new LinkedHashMap<>(firstCopies);
        again.forEach(union::putIfAbsent);
        assertThat(union.keySet()).containsExactlyInAnyOrderElementsOf(crash.reference().keySet()).hasSize(15);
        union.forEach((identity, value) -> assertThat(value).as(identity).isEqualTo(crash.reference().get(identity)));
    }

    @Test
    void shouldRegenerateTheSameTokensWhenTheUncommittedInputsBatchDifferently() throws Exception {
        // several partitions: a batch can span them and the committed offsets cut it; here ex-1..ex-4 come again
        // and batch as [1,2] [3,4] instead of [0,1] [2,3] [4]. The sampled tokens are a function of (seed, example,
        // PT index) alone; the teacher's log-probs of a row go through batched (padded) matmuls, so they may differ
        // in the last float bits from the first copy's (the trainer keeps the first copy it stores).
        Crash crash = crash();
        Restart restart = restart(crash, crash.inputs().subList(1, crash.inputs().size()));

        assertThat(restart.records()).as("GOLD + 2 PTs of the 4 redelivered inputs, nothing else").hasSize(12)
                .allSatisfy(record -> assertThat(record.getExampleId()).isNotEqualTo("ex-0"));
        Map<String, PseudoTarget> reference = new LinkedHashMap<>();
        crash.reference().forEach((identity, bytes) -> reference.put(identity, WireCodecs.PSEUDO_TARGET.decode(bytes)));
        for (PseudoTarget record : restart.records()) {
            PseudoTarget expected = reference.get(identity(record));
            assertThat(withoutFloats(record)).as(identity(record)).isEqualTo(withoutFloats(expected));
            SparseDistribution got = SparseDistribution.fromProto(record.getDistribution());
            SparseDistribution want = SparseDistribution.fromProto(expected.getDistribution());
            assertThat(got.tokenIds()).as(identity(record) + " top-k ids").isEqualTo(want.tokenIds());
            assertThat(got.logProbs()).as(identity(record) + " top-k log-probs").containsExactly(want.logProbs(),
                    within(1e-2f)); // FP16 on the wire: one unit in the last place of a log-prob near -8
            assertThat(got.tailLogMass()).as(identity(record) + " tail").containsExactly(want.tailLogMass(),
                    within(1e-4f));
            assertThat(record.getSequenceLogProb()).isCloseTo(expected.getSequenceLogProb(), within(1e-4));
        }
    }

    /** The record with its float fields cleared: what must not depend on the batch. */
    private static PseudoTarget withoutFloats(PseudoTarget record) {
        return record.toBuilder().clearDistribution().clearSequenceLogProb().build();
    }

    /** The first process: dies after its 4th acknowledged step (GOLD + PT 0 of [0,1] [2,3] [4], PT 1 of [0,1]). */
    private Crash crash() throws Exception {
        Path teacher = HfTiny.copyModel(HfTiny.BART, temp.resolve("teacher"));
        JobSettings settings = JobSettings.resolve(spec());
        List<PtInput> inputs = new ArrayList<>();
        for (int i = 0; i < SOURCES.length; i++) {
            inputs.add(PtInput.labeled("ex-" + i, SOURCES[i], "Target " + i));
        }
        Sink sink = new Sink(4);
        List<String> acked = new CopyOnWriteArrayList<>();
        SamplingWorker worker = new SamplingWorker(sink, Duration.ofMillis(200), new SimpleMeterRegistry());
        worker.teacherReady(settings, teacher);
        inputs.forEach(input -> worker.submit(settings, held(input, sink, acked)));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!sink.dead.await(100, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline) {
            assertThat(worker.failure()).as("the worker before the crash point").isEmpty();
        }
        assertThat(sink.dead.getCount()).as("the first process reached its crash point").isZero();
        worker.close();
        assertThat(acked).as("acknowledged: all K records and the GOLD one are on the broker")
                .containsExactly("ex-0", "ex-1");
        assertThat(sink.records).hasSize(5 * 2 + 2);

        Map<String, byte[]> reference = new LinkedHashMap<>();
        try (NDManager manager = NDManager.newBaseManager();
                ModelDirectory model = ModelDirectory.load(teacher, manager)) {
            StreamingSteps.ptGenerator(settings, model).run(inputs,
                    record -> reference.put(identity(record), WireCodecs.PSEUDO_TARGET.encode(record)), s -> { });
        }
        return new Crash(teacher, settings, inputs, sink, reference);
    }

    /** The restarted process, given {@code redelivered} again; returns once every one is acknowledged. */
    private static Restart restart(Crash crash, List<PtInput> redelivered) throws Exception {
        Sink sink = new Sink(Integer.MAX_VALUE);
        List<String> acked = new CopyOnWriteArrayList<>();
        SamplingWorker worker = new SamplingWorker(sink, Duration.ofMillis(200), new SimpleMeterRegistry());
        worker.teacherReady(crash.settings(), crash.teacher());
        redelivered.forEach(input -> worker.submit(crash.settings(), held(input, sink, acked)));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (acked.size() < redelivered.size() && System.nanoTime() < deadline && worker.failure().isEmpty()) {
            Thread.sleep(100);
        }
        worker.close();
        assertThat(acked).containsExactlyInAnyOrderElementsOf(redelivered.stream().map(PtInput::exampleId).toList());
        return new Restart(sink.records);
    }

    private record Crash(Path teacher, JobSettings settings, List<PtInput> inputs, Sink sink,
            Map<String, byte[]> reference) {}

    private record Restart(List<PseudoTarget> records) {}

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
