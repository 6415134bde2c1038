package io.kdflow.trainer.training;

import ai.djl.ndarray.NDManager;
import io.kdflow.core.decoding.TextEncoding;
import io.kdflow.core.model.ModelDirectoryWriter;
import io.kdflow.core.model.PretrainedModels;
import io.kdflow.core.model.Seq2SeqModel;
import io.kdflow.core.model.config.SpecialTokens;
import io.kdflow.core.model.nn.DenormalFlush;
import io.kdflow.core.model.nn.RunMode;
import io.kdflow.core.tokenizer.HfTokenizer;
import io.kdflow.core.train.AdamW;
import io.kdflow.core.train.LinearWarmupDecay;
import io.kdflow.core.train.PairBatch;
import io.kdflow.core.train.StepResult;
import io.kdflow.core.train.Trainer;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.PseudoTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * Trains one encoder-decoder student with teacher-forced cross-entropy on the targets as they stream in:
 * every {@code batchSize} new targets make one AdamW step, every {@code checkpointEverySteps} steps a
 * checkpoint (an HF-layout model directory) goes to the model store. Redelivered targets are stored and
 * trained on once. This is the paper's "fine-tuning" objective on whatever targets arrive (gold, or teacher
 * pseudo-targets: sequence-level KD); logit KD arrives with the distillation work.
 */
public final class CrossEntropyTrainer implements TrainingMode {

    private static final Logger LOG = Logger.getLogger(CrossEntropyTrainer.class);

    /** Hyper-parameters of one run. */
    public record Settings(int batchSize, double learningRate, int warmupSteps, int totalSteps, double weightDecay,
            int checkpointEverySteps, int maxSourceTokens, int maxTargetTokens) {

        public Settings {
            if (batchSize < 1 || checkpointEverySteps < 1 || totalSteps < 1 || maxTargetTokens < 1) {
                throw new IllegalArgumentException("trainer: batch-size, checkpoint-every-steps, total-steps and "
                        + "max-target-tokens must be >= 1");
            }
        }
    }

    private final Path studentInit;
    private final Path dataDir;
    private final CheckpointWriter checkpoints;
    private final Settings settings;
    private final NDManager manager = NDManager.newBaseManager();
    private final Seq2SeqModel model;
    private final HfTokenizer tokenizer;
    private final TextEncoding encoding;
    private final Trainer trainer;
    private final SpecialTokens special;
    private final Map<String, TargetStore> stores = new TreeMap<>();
    private final Map<String, Long> nextOffsets = new TreeMap<>();
    private final List<PseudoTarget> pending = new ArrayList<>();
    private String jobId;
    private long steps;
    private double recentLoss = Double.NaN;

    public CrossEntropyTrainer(Path studentInit, Path dataDir, CheckpointWriter checkpoints, Settings settings) {
        DenormalFlush.ensureEnabled();
        this.studentInit = studentInit;
        this.dataDir = dataDir;
        this.checkpoints = checkpoints;
        this.settings = settings;
        try {
            this.model = PretrainedModels.loadSeq2Seq(studentInit, manager);
        } catch (IOException e) {
            manager.close();
            throw new UncheckedIOException("cannot load the student from " + studentInit + ": " + e.getMessage(), e);
        }
        this.tokenizer = HfTokenizer.load(studentInit.resolve("tokenizer.json"));
        this.encoding = new TextEncoding(tokenizer, model.config());
        this.special = model.config().specialTokens();
        this.trainer = new Trainer(new AdamW(model.parameters(), AdamW.Settings.defaults(settings.weightDecay())),
                new LinearWarmupDecay(settings.learningRate(), settings.warmupSteps(), settings.totalSteps()), 1.0,
                manager);
        LOG.infof("student loaded from %s: %s, %d parameter tensors", studentInit, model.config().modelType(),
                model.parameters().size());
    }

    @Override
    public Optional<CheckpointEvent> accept(PseudoTarget target, String topic, int partition, long offset) {
        String job = target.getHeader().getJobId();
        if (jobId == null) {
            jobId = job;
        } else if (!jobId.equals(job)) {
            throw new IllegalArgumentException("this trainer trains job " + jobId + "; target of job " + job
                    + " refused (run one trainer per job)");
        }
        nextOffsets.put(topic + "/" + partition, offset + 1);
        if (!stores.computeIfAbsent(job, id -> new TargetStore(dataDir, id)).append(target)) {
            return Optional.empty();
        }
        pending.add(target);
        if (pending.size() < settings.batchSize()) {
            return Optional.empty();
        }
        StepResult step = trainOn(pending);
        pending.clear();
        steps++;
        recentLoss = step.loss();
        if (steps % settings.checkpointEverySteps() != 0) {
            return Optional.empty();
        }
        return Optional.of(checkpoint());
    }

    /** Optimizer steps taken so far. */
    public long steps() {
        return steps;
    }

    private StepResult trainOn(List<PseudoTarget> targets) {
        List<String> sources = targets.stream().map(PseudoTarget::getSource).toList();
        List<String> texts = targets.stream().map(PseudoTarget::getText).toList();
        PairBatch batch = PairBatch.encode(encoding, sources, texts, settings.maxSourceTokens(),
                settings.maxTargetTokens(), special.pad());
        return trainer.step(List.of(batch), (m, b) -> model.loss(m.create(b.inputIds()), m.create(b.attentionMask()),
                m.create(b.labels()), RunMode.TRAINING));
    }

    private CheckpointEvent checkpoint() {
        Path directory = checkpoints.directoryOf(jobId, steps);
        try {
            ModelDirectoryWriter.save(model, directory, studentInit);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save checkpoint " + directory + ": " + e.getMessage(), e);
        }
        LOG.infof("job %s: checkpoint at step %d (train loss %.4f)", jobId, steps, recentLoss);
        return checkpoints.seal(jobId, steps, directory, nextOffsets, Map.of(
                "mode", "cross-entropy",
                "train_loss", String.format(Locale.ROOT, "%.6f", recentLoss),
                "targets", Long.toString(stores.get(jobId).size())));
    }

    @Override
    public void close() {
        stores.values().forEach(TargetStore::close);
        tokenizer.close();
        model.close();
        manager.close();
    }
}
