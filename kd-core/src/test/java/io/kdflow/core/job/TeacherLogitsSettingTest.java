package io.kdflow.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdflow.core.error.BadInputException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code objective.teacher_logits}: where KD reads the teacher (dense model or the PT records), validated. */
class TeacherLogitsSettingTest {

    /** The repository root: the tests run in kd-core/. */
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    private static JobSettings resolve(String objective) {
        String yaml = "task:\n  train: " + ROOT.resolve("data/shakespeare/train.jsonl") + "\nobjective:\n" + objective;
        return JobSettings.resolve(JobFile.parse("t.yaml", yaml, ROOT, "t"));
    }

    @Test
    void shouldDefaultToTheDenseTeacherAndReadRecords() {
        assertThat(resolve("  type: logit_kd\n").objective().teacherLogits())
                .isEqualTo(ObjectiveSettings.TeacherLogits.DENSE);
        assertThat(resolve("  type: logit_kd\n  teacher_logits: dense\n").objective().teacherLogits())
                .isEqualTo(ObjectiveSettings.TeacherLogits.DENSE);
        assertThat(resolve("  type: gjsd\n  teacher_logits: records\n").objective().teacherLogits())
                .isEqualTo(ObjectiveSettings.TeacherLogits.RECORDS);
    }

    @Test
    void shouldRejectAnUnknownSourceAndRecordsForObjectivesThatNeedTheTeacherModel() {
        assertThatThrownBy(() -> resolve("  type: logit_kd\n  teacher_logits: sparse\n"))
                .isInstanceOf(BadInputException.class)
                .hasMessage("t.yaml: objective.teacher_logits: 'sparse' is not allowed (one of dense, records)");
        assertThatThrownBy(() -> resolve("  type: noisy_kd\n  teacher_logits: records\n"))
                .isInstanceOf(BadInputException.class)
                .hasMessage("t.yaml: JobSpec.training.objective_settings.teacher_logits: RECORDS is not allowed with"
                        + " NOISY_KD (the teacher's dropout acts at training time); use DENSE (the teacher in the"
                        + " process)");
        assertThatThrownBy(() -> resolve("  type: attention_relation\n  teacher_logits: records\n"))
                .isInstanceOf(BadInputException.class)
                .hasMessage("t.yaml: JobSpec.training.objective_settings.teacher_logits: RECORDS is not allowed with"
                        + " ATTENTION_RELATION_KD (the relations need the teacher's queries, keys and values); use"
                        + " DENSE (the teacher in the process)");
        assertThatThrownBy(() -> resolve("  type: logit_kd\n  teacher_logits: records\njoint_teaching:\n"
                + "  mode: local\n")).isInstanceOf(BadInputException.class)
                .hasMessage("t.yaml: JobSpec.training.objective_settings.teacher_logits: RECORDS is not allowed with"
                        + " Joint-Teaching (the teacher scores the student's own samples); use DENSE (the teacher in"
                        + " the process)");
    }

    @Test
    void shouldReadRecordsWhenTeacherServiceScoresTheStudentsSamples() {
        JobSettings remote = resolve("  type: logit_kd\n  teacher_logits: records\njoint_teaching:\n  mode: remote\n");
        assertThat(remote.objective().teacherLogits()).isEqualTo(ObjectiveSettings.TeacherLogits.RECORDS);
        assertThat(remote.jointTeaching().mode()).isEqualTo(TrainingSettings.JointTeaching.REMOTE);
    }
}
