package io.kdflow.core.decoding;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.kdflow.core.model.IncrementalDecoder;
import io.kdflow.core.model.PretrainedModel;
import java.util.ArrayList;
import java.util.List;

/**
 * Batched beam search with {@code transformers}' semantics (see {@link BeamHypotheses}). The first
 * step runs one row per input (all beams of an input are identical then, and {@code generate} only
 * expands its first beam); afterwards each active input has num_beams rows. An input that is done
 * leaves the batch, and the KV cache follows the surviving beams through {@code reorder}.
 */
final class BeamSearch {

    private final PretrainedModel model;
    private final DecodingTokens tokens;
    private final GenerationSettings settings;
    private final LogitProcessors processors;
    private final int vocabSize;
    private final int candidatesPerInput;

    BeamSearch(PretrainedModel model, DecodingTokens tokens, GenerationSettings settings) {
        this.model = model;
        this.tokens = tokens;
        this.settings = settings;
        this.processors = new LogitProcessors(tokens, settings, model.config().encoderDecoder());
        this.vocabSize = model.config().vocabSize();
        // enough candidates that num_beams survive even if every beam's best continuation is an EOS
        this.candidatesPerInput = Math.max(2, 1 + tokens.eos().length) * settings.numBeams();
    }

    List<Generation> run(List<GenerationInput> inputs, NDManager batch) {
        List<BeamHypotheses> states = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            states.add(new BeamHypotheses(settings));
        }
        DecoderStart start = DecoderStart.run(model, tokens, inputs, 1, settings.maxNewTokens(), batch);
        try (IncrementalDecoder decoder = start.decoder()) {
            decode(decoder, start.logits(), states, batch);
        }
        List<Generation> generations = new ArrayList<>(inputs.size());
        for (BeamHypotheses state : states) {
            generations.add(new Generation(state.best(settings.numReturnSequences(), tokens, vocabSize)));
        }
        return generations;
    }

    private void decode(IncrementalDecoder decoder, NDArray firstLogits, List<BeamHypotheses> states,
            NDManager batch) {
        List<BeamHypotheses> active = states; // decoder rows: width() consecutive rows per active input
        NDArray logits = firstLogits;
        for (int step = 0; step < settings.maxNewTokens(); step++) {
            try (NDManager stepManager = batch.newSubManager()) {
                logits.attach(stepManager);
                int width = active.get(0).width();
                advance(active, width, logits, step, stepManager);
                List<BeamHypotheses> next = new ArrayList<>();
                List<Long> rows = new ArrayList<>();
                List<Long> fed = new ArrayList<>();
                for (int a = 0; a < active.size(); a++) {
                    BeamHypotheses state = active.get(a);
                    if (state.done()) {
                        continue;
                    }
                    next.add(state);
                    for (int b = 0; b < state.width(); b++) {
                        rows.add((long) a * width + state.runningParent(b));
                        fed.add(state.running(b).token());
                    }
                }
                if (next.isEmpty() || step == settings.maxNewTokens() - 1) {
                    return;
                }
                decoder.reorder(stepManager.create(toArray(rows)));
                logits = decoder.step(stepManager.create(toArray(fed), new Shape(fed.size(), 1))).squeeze(1);
                logits.attach(batch);
                active = next;
            }
        }
    }

    /** Scores every continuation of every running beam and hands each input its best candidates. */
    private void advance(List<BeamHypotheses> active, int width, NDArray logits, int step, NDManager manager) {
        int inputs = active.size();
        NDArray logProbs = logits.logSoftmax(1); // (inputs * width, V)
        float[] running = new float[inputs * width];
        for (int a = 0; a < inputs; a++) {
            for (int b = 0; b < width; b++) {
                running[a * width + b] = active.get(a).runningScore(b);
            }
        }
        NDArray accumulated = processors.apply(logProbs, step)
                .add(manager.create(running, new Shape(inputs * width, 1)))
                .reshape(inputs, (long) width * vocabSize); // (inputs, width * V)
        int k = Math.min(candidatesPerInput, width * vocabSize);
        NDList top = accumulated.topK(k, 1, true, true);
        float[] scores = top.get(0).toFloatArray();
        long[] indices = top.get(1).toLongArray();
        float[] tokenLogProbs = logProbs.reshape(inputs, (long) width * vocabSize).gather(top.get(1), 1).toFloatArray();
        StepTopK distribution = settings.logProbTopK() > 0 ? StepTopK.of(logProbs, settings.logProbTopK()) : null;
        boolean lastStep = step == settings.maxNewTokens() - 1;
        for (int a = 0; a < inputs; a++) {
            BeamHypotheses state = active.get(a);
            List<BeamCandidate> candidates = new ArrayList<>(k);
            for (int j = 0; j < k; j++) {
                int index = a * k + j;
                int beam = Math.toIntExact(indices[index] / vocabSize);
                long token = indices[index] % vocabSize;
                int row = a * width + beam;
                BeamNode node = BeamNode.after(state.running(beam), token, tokenLogProbs[index],
                        distribution == null ? null : distribution.ids()[row],
                        distribution == null ? null : distribution.logProbs()[row]);
                candidates.add(new BeamCandidate(beam, node, scores[index], lastStep || tokens.isEos(token)));
            }
            state.advance(candidates, step);
        }
    }

    private static long[] toArray(List<Long> values) {
        long[] array = new long[values.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = values.get(i);
        }
        return array;
    }
}
