package io.kdflow.core.local;

import io.kdflow.core.decoding.PromptTemplate;
import io.kdflow.core.engine.DecodingWorkers;
import io.kdflow.core.job.JobSettings;
import io.kdflow.core.job.SamplingSettings;
import io.kdflow.core.model.ModelDirectory;
import io.kdflow.core.pt.PseudoTargetFile;
import io.kdflow.core.pt.PseudoTargetGenerator;
import io.kdflow.core.pt.PtInput;
import io.kdflow.core.pt.PtSettings;
import io.kdflow.core.wire.proto.PseudoTarget;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The job's pseudo-targets in a {@link PseudoTargetFile} under {@code <cache>/pts/<key>/}, the key made of
 * the teacher's files, the data, the PT settings, the token limits and the seed: generated once, reused by
 * every later job with the same key. A file interrupted mid-way is continued (records already stored are
 * skipped by identity, since they would be generated the same).
 */
final class PtPhase {

    static final String FILE = "pseudo-targets.pb";

    private final JobSettings settings;
    private final Path cacheRoot;
    private final LocalProgress progress;

    PtPhase(JobSettings settings, Path cacheRoot, LocalProgress progress) {
        this.settings = settings;
        this.cacheRoot = cacheRoot;
        this.progress = progress;
    }

    /** The key of this job's PTs for a teacher of key {@code teacherKey} continuing {@code prompt}. */
    String key(String teacherKey, LocalData data, PromptTemplate prompt) {
        SamplingSettings s = settings.sampling();
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("teacher", teacherKey);
        identity.put("data", data.identity());
        identity.put("sampling", s.toString());
        identity.put("max_source_tokens", settings.training().maxSourceTokens());
        identity.put("max_target_tokens", settings.training().maxTargetTokens());
        identity.put("seed", settings.training().seed());
        if (!prompt.template().isEmpty()) {
            identity.put("prompt", prompt.template()); // only then: PT files cached without a prompt keep their key
        }
        return RunKey.of(identity);
    }

    /** @param prompt a decoder-only teacher's prompt template (the task's); an encoder-decoder one ignores it */
    PtOutcome run(ModelDirectory teacher, String teacherKey, LocalData data, PromptTemplate prompt) {
        String key = key(teacherKey, data, prompt);
        Path dir = cacheRoot.resolve("pts").resolve(key);
        Path file = dir.resolve(FILE);
        PhaseMarker marker = new PhaseMarker(dir, key);
        if (marker.done().isPresent()) {
            int records = marker.done().get().path("records").asInt();
            progress.onNote("pseudo-targets: reusing " + file + " (" + records + " records)");
            return new PtOutcome(file.toString(), records, marker.done().get().path("teacher_records").asInt(),
                    true);
        }
        List<PtInput> inputs = inputs(data);
        SamplingSettings s = settings.sampling();
        PseudoTargetGenerator generator = generator(settings, teacher, teacherKey, prompt);
        long labeled = inputs.stream().filter(PtInput::labeled).count();
        PhaseRate rate = new PhaseRate("pseudo-targets", "records", labeled + (long) inputs.size()
                * s.numPseudoTargets(), 0, progress);
        progress.onNote("pseudo-targets: K=" + s.numPseudoTargets() + " " + s.mode() + " for " + inputs.size()
                + " inputs into " + file);
        int records;
        int[] teacherRecords = {0};
        try (PseudoTargetFile out = PseudoTargetFile.open(file);
                DecodingWorkers workers = DecodingWorkers.forCallingThread()) {
            generator.run(inputs, record -> {
                out.append(record);
                if (record.getKind() == PseudoTarget.Kind.TEACHER) {
                    teacherRecords[0]++;
                }
            }, snapshot -> rate.update(snapshot.targetsDone(),
                    String.format(Locale.ROOT, "%.0f tokens/s", snapshot.tokensPerSecond())), workers);
            out.flush();
            records = out.size();
        }
        marker.markDone(Map.of("records", records, "teacher_records", teacherRecords[0]));
        return new PtOutcome(file.toString(), records, teacherRecords[0], false);
    }

    /**
     * The generator of a job's PT records: the job's PT settings, the teacher's key as their model revision and a
     * fixed clock, so the records' bytes depend on what made them, not on when (the streaming sampler builds the
     * same one, see {@link StreamingSteps}).
     */
    static PseudoTargetGenerator generator(JobSettings settings, ModelDirectory teacher, String teacherKey,
            PromptTemplate prompt) {
        SamplingSettings s = settings.sampling();
        PtSettings pt = new PtSettings(settings.jobId(), teacherKey, s.mode(), s.numPseudoTargets(),
                Math.max(s.decoding().getNumBeams(), s.numPseudoTargets()), settings.training().maxSourceTokens(),
                settings.training().maxTargetTokens(), s.distributionTopK(), s.quantization(), s.batchSize(),
                settings.training().seed());
        return new PseudoTargetGenerator(teacher.model(), teacher.tokenizer(), teacher.generationConfig(), pt, prompt,
                Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
    }

    /** Labeled inputs (when the job asks for their PTs; they get GOLD records too), then unlabeled ones. */
    List<PtInput> inputs(LocalData data) {
        List<PtInput> inputs = new ArrayList<>();
        if (settings.sampling().includeLabeled()) {
            inputs.addAll(data.labeledInputs());
        }
        if (settings.sampling().includeUnlabeled()) {
            inputs.addAll(data.unlabeled());
        }
        return inputs;
    }

    /** The records of the file. */
    static List<PseudoTarget> records(Path file) {
        return PseudoTargetFile.readAll(file);
    }
}
