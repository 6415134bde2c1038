package io.kdflow.core.decoding;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.kdflow.core.model.IncrementalDecoder;
import io.kdflow.core.model.PretrainedModel;
import java.util.ArrayList;
import java.util.List;

/**
 * Greedy decoding and sampling: every row picks one token per step (the most likely one, or a draw)
 * until it emits EOS or reaches max_new_tokens. Finished rows leave the batch (their cache rows are
 * dropped) once they are a quarter of it: dropping copies every cached key and value, so doing it at each
 * finish cost more than the few wasted rows it saves. A finished row that is still in the batch is fed
 * its last token, draws no random number and records nothing.
 */
final class AncestralSearch {

    private static final int FINISHED = -1; // an entry of the row -> history map: the row's sequence ended

    private final PretrainedModel model;
    private final DecodingTokens tokens;
    private final GenerationSettings settings;
    private final LogitProcessors processors;
    private final TokenSampler sampler;
    private final int vocabSize;
    private final int firstSampleIndex;

    AncestralSearch(PretrainedModel model, DecodingTokens tokens, GenerationSettings settings) {
        this(model, tokens, settings, 0);
    }

    /** Sampling draws samples {@code firstSampleIndex ..} of every input (their random streams); 0 otherwise. */
    AncestralSearch(PretrainedModel model, DecodingTokens tokens, GenerationSettings settings, int firstSampleIndex) {
        this.firstSampleIndex = firstSampleIndex;
        this.model = model;
        this.tokens = tokens;
        this.settings = settings;
        this.processors = new LogitProcessors(tokens, settings, model.config().encoderDecoder());
        this.sampler = settings.doSample()
                ? new TokenSampler(settings.temperature(), settings.topK(), settings.topP()) : null;
        this.vocabSize = model.config().vocabSize();
    }

    List<Generation> run(List<GenerationInput> inputs, NDManager batch) {
        int perInput = settings.doSample() ? settings.numSamples() : 1;
        int rows = inputs.size() * perInput;
        SequenceHistory[] histories = new SequenceHistory[rows];
        SampleRandom[] randoms = new SampleRandom[rows];
        for (int r = 0; r < rows; r++) {
            histories[r] = new SequenceHistory(settings.maxNewTokens());
            if (sampler != null) {
                randoms[r] = new SampleRandom(settings.seed(), inputs.get(r / perInput).seedKey(),
                        firstSampleIndex + r % perInput);
            }
        }
        DecoderStart start = DecoderStart.run(model, tokens, inputs, perInput, settings.maxNewTokens(), batch);
        try (IncrementalDecoder decoder = start.decoder()) {
            decode(decoder, start.logits(), histories, randoms, batch);
        }
        List<Generation> generations = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            List<Hypothesis> hypotheses = new ArrayList<>(perInput);
            for (int s = 0; s < perInput; s++) {
                hypotheses.add(histories[i * perInput + s].toHypothesis(settings.lengthPenalty(), vocabSize));
            }
            generations.add(new Generation(hypotheses));
        }
        return generations;
    }

    private void decode(IncrementalDecoder decoder, NDArray firstLogits, SequenceHistory[] histories,
            SampleRandom[] randoms, NDManager batch) {
        int[] active = new int[histories.length]; // decoder row i holds history active[i], or FINISHED
        for (int r = 0; r < active.length; r++) {
            active[r] = r;
        }
        int live = active.length;
        NDArray logits = firstLogits;
        for (int step = 0; step < settings.maxNewTokens(); step++) {
            try (NDManager stepManager = batch.newSubManager()) {
                logits.attach(stepManager);
                NDArray logProbs = logits.logSoftmax(1); // (rows, V), unscaled: what is reported
                long[] next = choose(processors.apply(logits, step), active, randoms);
                NDArray nextIds = stepManager.create(next, new Shape(next.length, 1));
                float[] chosen = logProbs.gather(nextIds, 1).toFloatArray();
                StepTopK top = settings.logProbTopK() > 0 ? StepTopK.of(logProbs, settings.logProbTopK()) : null;
                live -= record(active, next, chosen, top, histories);
                if (live == 0 || step == settings.maxNewTokens() - 1) {
                    return;
                }
                if (shouldCompact(active.length - live, active.length)) {
                    long[] rows = new long[live];
                    long[] keptNext = new long[live];
                    int[] stillActive = new int[live];
                    for (int i = 0, kept = 0; i < active.length; i++) {
                        if (active[i] != FINISHED) {
                            rows[kept] = i;
                            keptNext[kept] = next[i];
                            stillActive[kept++] = active[i];
                        }
                    }
                    decoder.reorder(stepManager.create(rows));
                    next = keptNext;
                    active = stillActive;
                }
                logits = decoder.step(stepManager.create(next, new Shape(next.length, 1))).squeeze(1);
                logits.attach(batch);
            }
        }
    }

    /** Drops finished rows once they are a quarter of the decoder's rows. */
    static boolean shouldCompact(int finishedRows, int rows) {
        return finishedRows > 0 && 4 * finishedRows >= rows;
    }

    private long[] choose(NDArray scores, int[] active, SampleRandom[] randoms) {
        if (sampler == null) {
            return scores.argMax(1).toLongArray();
        }
        double[] uniforms = new double[active.length];
        for (int i = 0; i < active.length; i++) {
            // a finished row's draw is discarded: it must not advance its sample's random stream
            uniforms[i] = active[i] == FINISHED ? 1.0 : randoms[active[i]].nextUniform();
        }
        return sampler.sample(scores, uniforms);
    }

    /** Appends each live row's token; marks rows that emitted EOS finished and returns how many did. */
    private int record(int[] active, long[] next, float[] chosen, StepTopK top, SequenceHistory[] histories) {
        int finished = 0;
        for (int i = 0; i < active.length; i++) {
            if (active[i] == FINISHED) {
                continue;
            }
            boolean eos = tokens.isEos(next[i]);
            histories[active[i]].append(next[i], chosen[i], top == null ? null : top.ids()[i],
                    top == null ? null : top.logProbs()[i], eos);
            if (eos) {
                active[i] = FINISHED;
                finished++;
            }
        }
        return finished;
    }
}
