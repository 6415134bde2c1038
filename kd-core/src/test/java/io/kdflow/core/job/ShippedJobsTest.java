package io.kdflow.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdflow.core.pt.PtDecoding;
import io.kdflow.core.wire.proto.JobSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The job files the repository ships (jobs/ and bench/jobs/) read, resolve and say what they promise. */
class ShippedJobsTest {

    /** The repository root: the tests run in kd-core/. */
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @Test
    void shouldReadAndResolveEveryShippedJobFile() throws IOException {
        List<Path> files;
        try (Stream<Path> jobs = Files.list(ROOT.resolve("jobs")); Stream<Path> bench = Files.list(
                ROOT.resolve("bench/jobs"))) {
            files = Stream.concat(jobs, bench).filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }

        assertThat(files).extracting(f -> f.getFileName().toString()).containsExactly("shakespeare-small.yaml",
                "art-teacher-ft.yaml", "art-teacher.yaml", "chaos-tiny.yaml", "shakespeare-paper.yaml",
                "shakespeare-quick.yaml", "shakespeare-teacher.yaml", "squad-teacher.yaml");
        for (Path file : files) {
            JobSettings settings = JobSettings.resolve(JobFile.read(file));
            String name = file.getFileName().toString();
            assertThat(settings.jobId()).isEqualTo(JobFile.defaultName(file));
            String task = name.startsWith("art-") ? "art" : name.startsWith("squad-") ? "squad" : "shakespeare";
            assertThat(settings.task().orElseThrow().train()).endsWith("data/" + task + "/train.jsonl");
            // the kill matrix's job is cut short so that 30 pipeline runs fit in CI; ART's endings and SQuAD's
            // questions are short, SQuAD's sentences long
            int maxSource = name.equals("chaos-tiny.yaml") ? 32 : task.equals("squad") ? 96 : 48;
            int maxTarget = name.equals("chaos-tiny.yaml") || !task.equals("shakespeare") ? 32 : 48;
            assertThat(settings.training().maxSourceTokens()).isEqualTo(maxSource);
            assertThat(settings.training().maxTargetTokens()).isEqualTo(maxTarget);
        }
    }

    @Test
    void shouldTrainTheTeacherHereWithDenoisingThenFineTuning() {
        JobSettings job = JobSettings.resolve(JobFile.read(ROOT.resolve("jobs/shakespeare-teacher.yaml")));

        TeacherSettings teacher = job.teacher().orElseThrow();
        assertThat(teacher.source()).isEqualTo(TeacherSettings.Source.TRAIN);
        assertThat(teacher.configFile().orElseThrow()).endsWith("bench/configs/bart-small.json");
        assertThat(teacher.pretrainingEpochs()).isPositive();
        assertThat(teacher.fineTuning().epochs()).isPositive();
    }

    @Test
    void shouldDistillQuicklyFromTheTeacherJobsOutput() {
        JobSettings job = JobSettings.resolve(JobFile.read(ROOT.resolve("jobs/shakespeare-quick.yaml")));

        assertThat(job.teacher().orElseThrow().dir().orElseThrow()).isEqualTo(
                ROOT.resolve("models/shakespeare-teacher").toString());
        assertThat(job.student().keepDecoderLayers()).containsExactly(0, -1);
        assertThat(job.objective().kind()).isEqualTo(ObjectiveSettings.Kind.LOGIT_KD);
        assertThat(job.sampling().numPseudoTargets()).isEqualTo(2);
        assertThat(job.sampling().mode()).isEqualTo(PtDecoding.SAMPLING);
        assertThat(job.sampling().includeLabeled()).isTrue();
        assertThat(job.sampling().includeUnlabeled()).isTrue();
        assertThat(job.jointTeaching().enabled()).isTrue();
        assertThat(job.threads()).isEqualTo(2);
    }

    @Test
    void shouldCarryThePapersSettings() {
        JobSpec spec = JobFile.read(ROOT.resolve("jobs/shakespeare-paper.yaml"));
        JobSettings job = JobSettings.resolve(spec);

        TrainingSettings kd = job.training();
        assertThat(kd.learningRate()).isEqualTo(5e-4f);
        assertThat(kd.batchSize()).isEqualTo(96);
        assertThat(kd.epochs()).isEqualTo(96);
        assertThat(kd.scheduleEpochs()).isEqualTo(192);
        assertThat(kd.earlyStoppingPatience()).as("16 epochs of 2 dev evaluations").isEqualTo(32);
        assertThat(kd.weightDecay()).isEqualTo(1e-5f);
        assertThat(kd.maxGradNorm()).as("no clipping").isZero();
        assertThat(kd.finalFinetuneEpochs()).isEqualTo(10);
        assertThat(job.sampling().numPseudoTargets()).isEqualTo(48);
        assertThat(job.sampling().decoding().getTopP()).isEqualTo(0.95f);
        assertThat(job.sampling().includeUnlabeled()).isTrue();
        assertThat(spec.getEvaluation().getNumBeams()).isEqualTo(4);
        assertThat(spec.getEvaluation().getSelectionMetric()).isEqualTo("bleu");
        assertThat(job.teacher().orElseThrow().source()).isEqualTo(TeacherSettings.Source.FINE_TUNE);
        assertThat(job.student().source()).isEqualTo(StudentSettings.Source.DIR);
        assertThat(job.student().keepDecoderLayers()).containsExactly(0, -1);
    }

    /** The values of the PyTorch reference job (kd_reference shakespeare-small.json). */
    @Test
    void shouldMirrorThePyTorchReferenceJob() {
        JobSettings job = JobSettings.resolve(JobFile.read(ROOT.resolve("bench/jobs/shakespeare-small.yaml")));

        assertThat(job.threads()).isEqualTo(2);
        assertThat(job.training().seed()).isEqualTo(42);
        TaskSettings task = job.task().orElseThrow();
        assertThat(List.of(task.maxTrainExamples(), task.maxUnlabeledExamples(), task.maxDevExamples(),
                task.maxTestExamples())).containsExactly(1000, 4000, 200, 402);
        TeacherSettings teacher = job.teacher().orElseThrow();
        assertThat(teacher.tokenizer()).isEqualTo(new TeacherSettings.TokenizerSettings(8000, 2));
        assertThat(teacher.shape().dropout()).contains((double) 0.1f);
        assertThat(teacher.pretrainingEpochs()).isZero();
        assertPhase(teacher.fineTuning(), 8, 32, 100);
        assertThat(teacher.fineTuning().selectOnDev()).isFalse();
        assertThat(job.student().keepDecoderLayers()).containsExactly(0, -1);
        assertThat(job.sampling().numPseudoTargets()).isEqualTo(2);
        assertThat(job.sampling().includeUnlabeled()).isTrue();
        assertThat(job.sampling().batchSize()).isEqualTo(32);
        assertThat(job.sampling().decoding().getTopK()).isEqualTo(50);
        assertThat(job.sampling().decoding().getTopP()).isEqualTo(0.95f);
        assertThat(job.sampling().decoding().getTemperature()).isEqualTo(1f);
        assertPhase(job.baseline(), 3, 32, 100);
        assertPhase(job.training(), 2, 32, 100);
        assertThat(job.training().scheduleEpochs()).isEqualTo(4);
        assertThat(job.training().finalFinetuneEpochs()).isEqualTo(1);
        assertThat(job.objective().temperature()).isEqualTo(1.0);
        assertThat(job.jointTeaching().studentPtFraction()).isEqualTo(0.5);
        assertThat(job.jointTeaching().enabled()).isTrue();
    }

    private static void assertPhase(TrainingSettings phase, int epochs, int batchSize, int warmupSteps) {
        assertThat(phase.epochs()).isEqualTo(epochs);
        assertThat(phase.batchSize()).isEqualTo(batchSize);
        assertThat(phase.learningRate()).isEqualTo(5e-4f);
        assertThat(phase.warmupSteps()).isEqualTo(warmupSteps);
        assertThat(phase.weightDecay()).isEqualTo(1e-5f);
    }
}
