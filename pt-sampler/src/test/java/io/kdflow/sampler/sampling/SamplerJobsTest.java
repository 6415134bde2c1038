package io.kdflow.sampler.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.job.JobLimits;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.PseudoTargetSpec;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.SourceExample;
import org.junit.jupiter.api.Test;

/** Examples wait for their job's spec, at most the bound, and are released with the spec's settings. */
class SamplerJobsTest {

    @Test
    void shouldHoldExamplesUntilTheSpecAndReleaseThemInOrder() {
        SamplerJobs<SourceExample> jobs = new SamplerJobs<>(JobLimits.DEFAULT, 2);
        assertThat(jobs.accept("a", example("a", "1"))).isEmpty();
        assertThat(jobs.accept("b", example("b", "1"))).isEmpty();
        assertThat(jobs.settings("a")).isEmpty();
        assertThatThrownBy(() -> jobs.accept("a", example("a", "2"))).isInstanceOf(BadInputException.class)
                .hasMessage("no JobSpec of job a on kdflow.jobs.v1 yet, and 2 examples already wait for theirs"
                        + " (sampler.max-held-examples=2)");

        SamplerJobs.Released<SourceExample> released = jobs.acceptSpec(spec("a", 3));

        assertThat(released.examples()).extracting(SourceExample::getExampleId).containsExactly("1");
        assertThat(released.settings().sampling().numPseudoTargets()).isEqualTo(3);
        assertThat(jobs.settings("a")).get().isEqualTo(released.settings());
        assertThat(jobs.heldCount()).isEqualTo(1);
        assertThat(jobs.accept("a", example("a", "2"))).get().extracting(s -> s.sampling().numPseudoTargets())
                .isEqualTo(3);
        assertThat(jobs.acceptSpec(spec("b", 0)).examples()).hasSize(1);
        assertThat(jobs.heldCount()).isZero();
    }

    @Test
    void shouldRejectASpecBeyondTheServiceLimit() {
        SamplerJobs<SourceExample> jobs = new SamplerJobs<>(new JobLimits(4096, 4096, 1000, 4), 10);
        assertThatThrownBy(() -> jobs.acceptSpec(spec("a", 5))).isInstanceOf(BadInputException.class)
                .hasMessage("JobSpec.pseudo_targets.num_pseudo_targets: 5 is not allowed (must be 0..4)");
    }

    private static JobSpec spec(String job, int k) {
        return JobSpec.newBuilder().setHeader(RecordHeader.newBuilder().setSchemaVersion(1).setJobId(job))
                .setTask("style").setPseudoTargets(PseudoTargetSpec.newBuilder().setNumPseudoTargets(k)).build();
    }

    private static SourceExample example(String job, String id) {
        return SourceExample.newBuilder().setHeader(RecordHeader.newBuilder().setSchemaVersion(1).setJobId(job))
                .setExampleId(id).setSource("s").addReferences("t").build();
    }
}
