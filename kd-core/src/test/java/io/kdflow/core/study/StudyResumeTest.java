package io.kdflow.core.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.local.LocalInterruption;
import io.kdflow.core.local.LocalOptions;
import io.kdflow.core.local.LocalProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real study of stage S2 on bart-tiny (two local distillations): interrupted inside its first run, resumed by
 * the next study process, then reused whole by a third.
 */
class StudyResumeTest {

    @TempDir
    static Path temp;

    private static int threadsBefore;
    private static StudyTask task;
    private static RunStore store;

    @BeforeAll
    static void setUp() {
        Engine.getInstance();
        threadsBefore = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        task = StudyTask.read(StudyFixture.taskFile(temp.resolve("task")));
        store = new RunStore(temp.resolve("runs"));
    }

    @AfterAll
    static void restoreThreads() {
        JniUtils.setNumThreads(threadsBefore);
    }

    @Test
    void shouldResumeAnInterruptedStudyAndThenReuseEveryRun() throws Exception {
        LocalOptions options = LocalOptions.of(temp.resolve("cache"));
        Study crashing = study(new LocalStudyExecutor(options.stoppingAfter("baseline", 1), LocalProgress.NONE));
        assertThatThrownBy(() -> crashing.run(Stage.parse("S2"))).isInstanceOf(LocalInterruption.class);
        PlannedRun first = new StudyPlanner(task, StudyProfile.named("quick"))
                .plan(Stage.S2, StudyProfile.named("quick").options(Stage.S2, task).get(0), List.of());
        assertThat(store.dir(first).resolve(RunStore.JOB)).isRegularFile();
        assertThat(store.finished(first)).as("interrupted: no results yet").isEmpty();

        List<String> executed = new ArrayList<>();
        List<StageResult> resumed = study(counting(options, executed)).run(Stage.parse("S2"));
        assertThat(executed).containsExactly("S2/encoder_pruning", "S2/decoder_pruning");
        StageResult s2 = resumed.get(1);
        assertThat(s2.options()).extracting(OptionResult::reused).containsExactly(false, false);
        assertThat(s2.options()).allSatisfy(o -> assertThat(o.wallSeconds()).isPositive());
        assertThat(store.finished(first)).isPresent();

        List<String> again = new ArrayList<>();
        List<StageResult> reused = study(counting(options, again)).run(Stage.parse("S2"));
        assertThat(again).as("every run finished before").isEmpty();
        assertThat(reused.get(1).options()).extracting(OptionResult::reused).containsExactly(true, true);
        assertThat(reused.get(1).options()).extracting(o -> o.dev().get("bleu"))
                .containsExactlyElementsOf(s2.options().stream().map(o -> o.dev().get("bleu")).toList());
        assertThat(reused.get(1).options()).extracting(OptionResult::wallSeconds)
                .as("the first run's wall time, kept beside its results")
                .containsExactlyElementsOf(s2.options().stream().map(OptionResult::wallSeconds).toList());
        assertThat(reused.get(1).chosen()).isEqualTo(s2.chosen());
    }

    @Test
    void shouldRefuseResultsOfAnotherJobInARunDirectory() throws Exception {
        RunStore other = new RunStore(temp.resolve("other-runs"));
        StudyProfile quick = StudyProfile.named("quick");
        PlannedRun run = new StudyPlanner(task, quick).plan(Stage.S3, quick.options(Stage.S3, task).get(0), List.of());
        Files.createDirectories(other.dir(run));
        Files.writeString(other.dir(run).resolve(RunStore.RESULTS), "{\"job_hash\": \"abc\", \"roles\": []}");

        assertThatThrownBy(() -> other.finished(run)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("holds the results of job abc, not of S3/fine_tuning");
    }

    private static Study study(StudyExecutor executor) {
        return new Study(task, StudyProfile.named("quick"), store, executor, StudyProgress.NONE);
    }

    private static StudyExecutor counting(LocalOptions options, List<String> executed) {
        StudyExecutor real = new LocalStudyExecutor(options, LocalProgress.NONE);
        return (run, dir) -> {
            executed.add(run.label());
            real.run(run, dir);
        };
    }
}
