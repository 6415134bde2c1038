package io.kdflow.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdflow.core.wire.proto.ModelRole;
import io.kdflow.core.wire.proto.Split;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void shouldListEveryTopicInDataFlowOrder() {
        assertThat(Topics.all()).containsExactly(
                "kdflow.jobs.v1",
                "kdflow.examples.v1",
                "kdflow.pseudo-targets.v1",
                "kdflow.student-samples.v1",
                "kdflow.student-scores.v1",
                "kdflow.checkpoints.v1",
                "kdflow.eval-reports.v1",
                "kdflow.dead-letters.v1");
    }

    @Test
    void shouldUseDotsButNeverUnderscoresInTopicNames() {
        assertThat(Topics.all()).allMatch(topic -> topic.matches("kdflow\\.[a-z-]+\\.v1"));
    }

    @Test
    void shouldBuildTheDocumentedKeys() {
        assertThat(Topics.jobKey("demo-1")).isEqualTo("demo-1");
        assertThat(Topics.exampleKey("demo-1", "train/000042")).isEqualTo("demo-1/train/000042");
        assertThat(Topics.requestKey("req-9")).isEqualTo("req-9");
        assertThat(Topics.checkpointKey("demo-1", ModelRole.STUDENT_BASELINE)).isEqualTo("demo-1/student_baseline");
        assertThat(Topics.evalReportKey("demo-1", ModelRole.TEACHER, 1200, Split.DEV))
                .isEqualTo("demo-1/teacher/1200/dev");
    }

    @Test
    void shouldRefuseKeysThatCouldNotBeSplitBack() {
        assertThatThrownBy(() -> Topics.exampleKey("a/b", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("job id must not contain '/', got \"a/b\"");
        assertThatThrownBy(() -> Topics.exampleKey("demo", ""))
                .hasMessage("example id must not be empty");
        assertThatThrownBy(() -> Topics.checkpointKey("demo", ModelRole.ROLE_UNSPECIFIED))
                .hasMessage("model role must be TEACHER, STUDENT or STUDENT_BASELINE, got ROLE_UNSPECIFIED");
    }

    @Test
    void shouldFindTheJobIdInKeysThatCarryOne() {
        assertThat(Topics.jobIdOfKey(Topics.JOBS, "demo-1")).contains("demo-1");
        assertThat(Topics.jobIdOfKey(Topics.PSEUDO_TARGETS, "demo-1/train/000042")).contains("demo-1");
        assertThat(Topics.jobIdOfKey(Topics.EVAL_REPORTS, "demo-1/student/5/dev")).contains("demo-1");
        assertThat(Topics.jobIdOfKey(Topics.STUDENT_SAMPLES, "demo-1/x")).isEmpty();
        assertThat(Topics.jobIdOfKey(Topics.EXAMPLES, "no-separator")).isEmpty();
        assertThat(Topics.jobIdOfKey(Topics.EXAMPLES, "/leading-separator")).isEmpty();
        assertThat(Topics.jobIdOfKey(Topics.JOBS, "not/a-job-id")).isEmpty();
        assertThat(Topics.jobIdOfKey(Topics.EXAMPLES, null)).isEmpty();
        assertThat(Topics.jobIdOfKey("someone.elses.topic", "demo-1/x")).isEmpty();
    }
}
