package io.kdflow.core.pt;

import io.kdflow.core.decoding.Generation;
import io.kdflow.core.decoding.GenerationInput;
import io.kdflow.core.decoding.GenerationSettings;
import io.kdflow.core.decoding.Generator;
import io.kdflow.core.decoding.Hypothesis;
import io.kdflow.core.decoding.PositionBudget;
import io.kdflow.core.decoding.PromptTemplate;
import io.kdflow.core.decoding.ScoringPair;
import io.kdflow.core.decoding.TargetScore;
import io.kdflow.core.decoding.TeacherForcedScorer;
import io.kdflow.core.decoding.TextEncoding;
import io.kdflow.core.decoding.TopKLogProbs;
import io.kdflow.core.engine.DecodingWorkers;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.config.ModelConfig;
import io.kdflow.core.model.config.GenerationConfig;
import io.kdflow.core.model.config.GenerationConfig.EarlyStopping;
import io.kdflow.core.tokenizer.TextTokenizer;
import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.DecodingSettings;
import io.kdflow.core.wire.proto.Provenance;
import io.kdflow.core.wire.proto.PseudoTarget;
import io.kdflow.core.wire.proto.RecordHeader;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A loaded teacher writing pseudo-targets (PTs): K sequences per input by beam search, sampling or
 * high-temperature sampling ({@link PtDecoding}), each as a {@code TEACHER} {@link PseudoTarget} record with
 * the teacher's sparse distribution at every position, and one {@code GOLD} record per labeled input with
 * the teacher's teacher-forced distribution on the gold target (logit KD on gold needs it).
 *
 * <p>Rules:
 * <ul>
 *   <li>Distributions are the teacher's <b>unscaled</b> ones (temperature 1, no top-k / top-p filter), top-k
 *       plus the tail mass, whatever temperature the tokens were drawn at; row p is the distribution of
 *       token p given the source and tokens before it, one row per token of {@code token_ids}.</li>
 *   <li>PT ids are what the teacher generated, without the decoder start token, ending with EOS unless the
 *       PT hit {@code max_new_tokens}; {@code text} is their decoding with special tokens skipped. Gold
 *       targets use {@link TextEncoding#target} cut to {@code max_new_tokens} (EOS kept); sources use
 *       {@link TextEncoding#source} cut to {@code max_source_tokens}.</li>
 *   <li>Sampled PT j of an input is drawn from the random stream of (seed, example id, j) alone: the same
 *       whether it is produced with the other PTs of the input ({@link #generateAll}) or alone
 *       ({@link #generate(List, int)}), and whatever other inputs share the batch.</li>
 *   <li>Beam PTs are the K best beams of one search (best first, pt_index 0 = best); producing one index
 *       runs the whole search.</li>
 *   <li>Every record passes {@link WireCodecs#PSEUDO_TARGET}'s checks before it is returned.</li>
 * </ul>
 *
 * <p>A decoder-only teacher (GPT-2) continues prompts: the task's {@link PromptTemplate} applied to each source
 * ({@link TextEncoding#input}: its last {@code max_source_tokens} tokens kept), prompt and new tokens within the
 * model's positions. Its records hold the prompt in {@code source_token_ids} and only the continuation in
 * {@code token_ids}, {@code text} and the distribution (one row per continuation token); gold records the gold
 * target after the same prompt.
 *
 * <p>Order of production ({@link #run}): GOLD records first, then, for sampling, <b>PT-index-major</b>: PT 0
 * of every input, then PT 1 of every input, and so on, so that a streaming consumer can train epoch 0
 * (which needs PT 0 of every input, see {@link EpochPlan}) as early as possible. Beam search yields all K
 * beams of an input at once, so beam PTs come input-major, batch by batch (epoch 0 still waits for the same
 * amount of decoding). The decoding methods may run on several threads at once ({@link DecodingWorkers}); the
 * record order of {@link #run} stays the same.
 */
public final class PseudoTargetGenerator {

    /** provenance.producer of the records. */
    public static final String PRODUCER = "kd-core/pt";

    private final Generator generator;
    private final TeacherForcedScorer scorer;
    private final TextEncoding encoding;
    private final PtSettings settings;
    private final PromptTemplate prompt;
    private final ModelConfig teacherConfig;
    private final int vocabSize;
    private final Clock clock;

    public PseudoTargetGenerator(PretrainedModel teacher, TextTokenizer tokenizer, GenerationConfig config,
            PtSettings settings) {
        this(teacher, tokenizer, config, settings, Clock.systemUTC());
    }

    /** @param clock stamps {@code header.created_unix_ms} */
    public PseudoTargetGenerator(PretrainedModel teacher, TextTokenizer tokenizer, GenerationConfig config,
            PtSettings settings, Clock clock) {
        this(teacher, tokenizer, config, settings, PromptTemplate.NONE, clock);
    }

    /**
     * @param prompt a decoder-only teacher's prompt template (the task's {@code prompt}); encoder-decoder teachers
     *     ignore it
     * @param clock stamps {@code header.created_unix_ms}
     */
    public PseudoTargetGenerator(PretrainedModel teacher, TextTokenizer tokenizer, GenerationConfig config,
            PtSettings settings, PromptTemplate prompt, Clock clock) {
        this.generator = new Generator(teacher, config);
        this.scorer = new TeacherForcedScorer(teacher, config);
        this.encoding = new TextEncoding(tokenizer, teacher.config(), config);
        this.settings = settings;
        this.prompt = prompt;
        this.teacherConfig = teacher.config();
        this.vocabSize = teacher.config().vocabSize();
        this.clock = clock;
        if (settings.distributionTopK() > vocabSize) {
            throw new IllegalArgumentException("distribution_top_k " + settings.distributionTopK()
                    + " exceeds the teacher's vocabulary (" + vocabSize + " tokens)");
        }
    }

    public PtSettings settings() {
        return settings;
    }

    /**
     * The decoder settings of one PT index (sampling: one sample per input; beam search: all K beams).
     * Length penalty, early stopping and min_new_tokens come from the teacher's generation config.
     */
    public GenerationSettings decoderSettings() {
        GenerationSettings.Builder base = generator.defaultSettings().toBuilder()
                .maxNewTokens(settings.maxNewTokens())
                .minNewTokens(Math.min(generator.defaultSettings().minNewTokens(), settings.maxNewTokens()))
                .logProbTopK(settings.distributionTopK())
                .seed(settings.seed())
                .temperature(settings.decoding().temperature())
                .numReturnSequences(1)
                .numSamples(1);
        if (settings.decoding().sampling()) {
            return base.numBeams(1).doSample(true).topK(PtDecoding.TOP_K).topP(PtDecoding.TOP_P).build();
        }
        return base.doSample(false).topK(0).topP(1.0).numBeams(settings.numBeams())
                .numReturnSequences(settings.numPseudoTargets()).build();
    }

    /** The decoding settings as the records' provenance states them. */
    public DecodingSettings decodingProvenance() {
        GenerationSettings decoder = decoderSettings();
        return DecodingSettings.newBuilder()
                .setStrategy(settings.decoding().strategy())
                .setNumBeams(decoder.numBeams())
                .setTemperature((float) decoder.temperature())
                .setTopK(decoder.doSample() ? decoder.topK() : 0)
                .setTopP(decoder.doSample() ? (float) decoder.topP() : 1f)
                .setMaxNewTokens(decoder.maxNewTokens())
                .setLengthPenalty((float) decoder.lengthPenalty())
                .setEarlyStopping(decoder.earlyStopping() == EarlyStopping.TRUE)
                .setNumReturnSequences(settings.numPseudoTargets())
                .build();
    }

    /** PT number {@code ptIndex} of every input, in input order. */
    public List<PseudoTarget> generate(List<PtInput> batch, int ptIndex) {
        if (ptIndex < 0 || ptIndex >= settings.numPseudoTargets()) {
            throw new IllegalArgumentException("pt index must be in [0, " + settings.numPseudoTargets() + "), got "
                    + ptIndex);
        }
        List<GenerationInput> inputs = inputs(batch);
        List<PseudoTarget> records = new ArrayList<>(batch.size());
        if (settings.decoding().sampling()) {
            List<Generation> generations = generator.sample(inputs, decoderSettings(), ptIndex);
            for (int i = 0; i < batch.size(); i++) {
                records.add(teacherRecord(batch.get(i), inputs.get(i), ptIndex, generations.get(i).best()));
            }
        } else {
            List<Generation> generations = generator.generate(inputs, decoderSettings());
            for (int i = 0; i < batch.size(); i++) {
                Hypothesis beam = generations.get(i).hypotheses().get(ptIndex);
                records.add(teacherRecord(batch.get(i), inputs.get(i), ptIndex, beam));
            }
        }
        return records;
    }

    /** All K PTs of every input in one decoding call: input-major, PT index ascending within an input. */
    public List<PseudoTarget> generateAll(List<PtInput> batch) {
        List<GenerationInput> inputs = inputs(batch);
        int k = settings.numPseudoTargets();
        GenerationSettings decoder = settings.decoding().sampling()
                ? decoderSettings().toBuilder().numSamples(k).build() : decoderSettings();
        List<Generation> generations = generator.generate(inputs, decoder);
        List<PseudoTarget> records = new ArrayList<>(batch.size() * k);
        for (int i = 0; i < batch.size(); i++) {
            for (int j = 0; j < k; j++) {
                records.add(teacherRecord(batch.get(i), inputs.get(i), j, generations.get(i).hypotheses().get(j)));
            }
        }
        return records;
    }

    /**
     * The GOLD record of every labeled input of {@code batch} (unlabeled ones are skipped), with the
     * teacher's teacher-forced distribution on the gold target.
     */
    public List<PseudoTarget> gold(List<PtInput> batch) {
        List<PtInput> labeled = batch.stream().filter(PtInput::labeled).toList();
        if (labeled.isEmpty()) {
            return List.of();
        }
        List<ScoringPair> pairs = new ArrayList<>(labeled.size());
        for (PtInput input : labeled) {
            long[] target = TextEncoding.truncateKeepingEnd(encoding.target(input.goldTarget()),
                    settings.maxNewTokens());
            pairs.add(new ScoringPair(source(input), target));
        }
        List<TargetScore> scores = scorer.score(pairs, settings.distributionTopK());
        List<PseudoTarget> records = new ArrayList<>(labeled.size());
        for (int i = 0; i < labeled.size(); i++) {
            PtInput input = labeled.get(i);
            ScoringPair pair = pairs.get(i);
            TargetScore score = scores.get(i);
            PseudoTarget.Builder record = PseudoTarget.newBuilder()
                    .setHeader(header(false))
                    .setExampleId(input.exampleId())
                    .setSplit(input.split())
                    .setKind(PseudoTarget.Kind.GOLD)
                    .setPtIndex(0)
                    .setNumPseudoTargets(settings.numPseudoTargets())
                    .setSource(input.source())
                    .setText(input.goldTarget())
                    .setSequenceLogProb(-score.totalNll())
                    .setDistribution(score.topK().toSparseDistribution().toProto(settings.quantization()));
            addIds(record, pair.sourceIds(), true);
            addIds(record, pair.targetIds(), false);
            records.add(checked(record.build()));
        }
        return records;
    }

    /**
     * Every record of {@code inputs} in production order (see the class comment), batch by batch.
     *
     * @param sink     receives each record once, in order
     * @param progress told after every batch
     */
    public void run(List<PtInput> inputs, Consumer<PseudoTarget> sink, PtProgress progress) {
        run(inputs, sink, progress, DecodingWorkers.serial());
    }

    /**
     * {@link #run(List, Consumer, PtProgress)} with the batches spread over {@code workers}; the records reach
     * {@code sink} in the same order, on the calling thread.
     */
    public void run(List<PtInput> inputs, Consumer<PseudoTarget> sink, PtProgress progress, DecodingWorkers workers) {
        long start = System.nanoTime();
        int k = settings.numPseudoTargets();
        long labeled = inputs.stream().filter(PtInput::labeled).count();
        Counter counter = new Counter(labeled + (long) inputs.size() * k, inputs.size(), start, progress);
        List<List<PtInput>> batches = batches(inputs);
        workers.run(batches, this::gold, (batch, records) -> counter.add(records, sink, 0));
        if (settings.decoding().sampling()) {
            for (int j = 0; j < k; j++) {
                int ptIndex = j;
                workers.run(batches, batch -> generate(batch, ptIndex),
                        (batch, records) -> counter.add(records, sink, ptIndex == k - 1 ? batch.size() : 0));
            }
        } else {
            workers.run(batches, this::generateAll, (batch, records) -> counter.add(records, sink, batch.size()));
        }
    }

    private List<List<PtInput>> batches(List<PtInput> inputs) {
        List<List<PtInput>> batches = new ArrayList<>();
        for (int from = 0; from < inputs.size(); from += settings.batchSize()) {
            batches.add(inputs.subList(from, Math.min(inputs.size(), from + settings.batchSize())));
        }
        return batches;
    }

    private List<GenerationInput> inputs(List<PtInput> batch) {
        List<GenerationInput> inputs = new ArrayList<>(batch.size());
        for (PtInput input : batch) {
            inputs.add(GenerationInput.of(source(input), input.exampleId()));
        }
        return inputs;
    }

    /**
     * @throws io.kdflow.core.error.BadInputException when a decoder-only teacher's prompt and new tokens do not fit
     *     its positions
     */
    private long[] source(PtInput input) {
        long[] ids = encoding.input(input.source(), prompt, settings.maxSourceTokens());
        PositionBudget.requireFits(teacherConfig, ids.length, settings.maxNewTokens(), "input " + input.exampleId(),
                "the PTs' max_source_tokens or max_new_tokens");
        return ids;
    }

    private PseudoTarget teacherRecord(PtInput input, GenerationInput generationInput, int ptIndex,
            Hypothesis hypothesis) {
        TopKLogProbs topK = hypothesis.topK();
        PseudoTarget.Builder record = PseudoTarget.newBuilder()
                .setHeader(header(true))
                .setExampleId(input.exampleId())
                .setSplit(input.split())
                .setKind(PseudoTarget.Kind.TEACHER)
                .setPtIndex(ptIndex)
                .setNumPseudoTargets(settings.numPseudoTargets())
                .setSource(input.source())
                .setText(encoding.decode(hypothesis.tokens()))
                .setSequenceLogProb(Math.min(0, hypothesis.logProb()))
                .setDistribution(topK.toSparseDistribution().toProto(settings.quantization()));
        addIds(record, generationInput.tokenIds(), true);
        addIds(record, hypothesis.tokens(), false);
        return checked(record.build());
    }

    private RecordHeader header(boolean decoded) {
        Provenance.Builder provenance = Provenance.newBuilder()
                .setProducer(PRODUCER)
                .setModelRevision(settings.teacherRevision())
                .setSeed(settings.seed());
        if (decoded) {
            provenance.setDecoding(decodingProvenance());
        }
        return RecordHeader.newBuilder()
                .setSchemaVersion(Wire.SCHEMA_VERSION)
                .setJobId(settings.jobId())
                .setProvenance(provenance)
                .setCreatedUnixMs(clock.millis())
                .build();
    }

    private static void addIds(PseudoTarget.Builder record, long[] ids, boolean sourceSide) {
        for (long id : ids) {
            int value = Math.toIntExact(id);
            if (sourceSide) {
                record.addSourceTokenIds(value);
            } else {
                record.addTokenIds(value);
            }
        }
    }

    private static PseudoTarget checked(PseudoTarget record) {
        WireCodecs.PSEUDO_TARGET.validate(record);
        return record;
    }

    /** Counts what a run wrote and reports it. */
    private static final class Counter {

        private final long targetsTotal;
        private final long inputsTotal;
        private final long start;
        private final PtProgress progress;
        private long targets;
        private long inputs;
        private long tokens;

        Counter(long targetsTotal, long inputsTotal, long start, PtProgress progress) {
            this.targetsTotal = targetsTotal;
            this.inputsTotal = inputsTotal;
            this.start = start;
            this.progress = progress;
        }

        void add(List<PseudoTarget> records, Consumer<PseudoTarget> sink, int inputsCompleted) {
            for (PseudoTarget record : records) {
                sink.accept(record);
                tokens += record.getTokenIdsCount();
            }
            targets += records.size();
            inputs += inputsCompleted;
            progress.update(new PtProgress.Snapshot(targets, targetsTotal, inputs, inputsTotal, tokens,
                    System.nanoTime() - start));
        }
    }
}
