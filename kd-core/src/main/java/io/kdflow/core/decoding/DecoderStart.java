package io.kdflow.core.decoding;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.model.CausalLm;
import io.kdflow.core.model.EncoderOutput;
import io.kdflow.core.model.IncrementalDecoder;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.Seq2SeqModel;
import io.kdflow.core.model.nn.RunMode;
import java.util.List;

/**
 * Runs what comes before the first generated token: the encoder and the decoder start token
 * (encoder-decoder models) or the left-padded prompts (decoder-only models, as {@code generate} pads
 * them). Each input's row is then repeated {@code rowsPerInput} times (beams, samples) by reordering
 * the cache, so the prefix is computed once per input.
 *
 * @param decoder positioned after the prefix, rows = inputs x rowsPerInput (input i -> rows i*n .. i*n+n-1)
 * @param logits  (rows, V) next-token logits, attached to the batch manager
 */
record DecoderStart(IncrementalDecoder decoder, NDArray logits) {

    static DecoderStart run(PretrainedModel model, DecodingTokens tokens, List<GenerationInput> inputs,
            int rowsPerInput, int maxNewTokens, NDManager batch) {
        DecoderStart start;
        if (model instanceof Seq2SeqModel seq2seq) {
            start = encoderDecoder(seq2seq, tokens, inputs, maxNewTokens, batch);
        } else if (model instanceof CausalLm causal) {
            start = decoderOnly(causal, tokens, inputs, maxNewTokens, batch);
        } else {
            throw new IllegalArgumentException("cannot decode with a " + model.config().modelType() + " model");
        }
        return rowsPerInput == 1 ? start : start.repeatRows(inputs.size(), rowsPerInput, batch);
    }

    private static DecoderStart encoderDecoder(Seq2SeqModel model, DecodingTokens tokens,
            List<GenerationInput> inputs, int maxNewTokens, NDManager batch) {
        if (tokens.decoderStart() == null) {
            throw new BadInputException("generation needs decoder_start_token_id in config.json or "
                    + "generation_config.json");
        }
        int rows = inputs.size();
        int width = 0;
        for (int i = 0; i < rows; i++) {
            if (inputs.get(i).length() == 0) {
                throw new BadInputException("input " + i + " has no tokens");
            }
            width = Math.max(width, inputs.get(i).length());
        }
        long pad = tokens.pad() == null ? 0 : tokens.pad();
        long[] ids = new long[rows * width];
        long[] mask = new long[rows * width];
        for (int i = 0; i < rows; i++) { // right padding, as tokenizers pad encoder inputs
            GenerationInput input = inputs.get(i);
            for (int t = 0; t < width; t++) {
                boolean real = t < input.length();
                ids[i * width + t] = real ? input.tokenAt(t) : pad;
                mask[i * width + t] = real ? 1 : 0;
            }
        }
        EncoderOutput encoded = model.encode(batch.create(ids, new Shape(rows, width)),
                batch.create(mask, new Shape(rows, width)), RunMode.INFERENCE);
        // the start token plus max_new_tokens - 1 fed tokens: the last generated token is never fed
        IncrementalDecoder decoder = model.startDecoding(encoded, maxNewTokens);
        try (NDManager step = batch.newSubManager()) { // the step's activations go with it
            NDArray startTokens = step.full(new Shape(rows, 1), tokens.decoderStart(), DataType.INT64);
            NDArray logits = decoder.step(startTokens).squeeze(1); // (B, V)
            logits.attach(batch);
            return new DecoderStart(decoder, logits);
        } catch (RuntimeException e) {
            decoder.close();
            throw e;
        }
    }

    private static DecoderStart decoderOnly(CausalLm model, DecodingTokens tokens, List<GenerationInput> inputs,
            int maxNewTokens, NDManager batch) {
        int rows = inputs.size();
        long[][] prompts = new long[rows][];
        int width = 0;
        for (int i = 0; i < rows; i++) {
            prompts[i] = inputs.get(i).tokenIds();
            if (prompts[i].length == 0) {
                if (tokens.bos() == null) {
                    throw new BadInputException("input " + i + " is an empty prompt and the model has no "
                            + "bos_token_id to start from");
                }
                prompts[i] = new long[] {tokens.bos()};
            }
            width = Math.max(width, prompts[i].length);
        }
        long pad = tokens.pad() == null ? 0 : tokens.pad();
        long[] ids = new long[rows * width];
        long[] mask = new long[rows * width];
        boolean padded = false;
        for (int i = 0; i < rows; i++) { // left padding: every prompt ends where generation begins
            int offset = width - prompts[i].length;
            padded |= offset > 0;
            for (int t = 0; t < width; t++) {
                boolean real = t >= offset;
                ids[i * width + t] = real ? prompts[i][t - offset] : pad;
                mask[i * width + t] = real ? 1 : 0;
            }
        }
        IncrementalDecoder decoder = model.startDecoding(rows, width + maxNewTokens - 1);
        try (NDManager step = batch.newSubManager()) {
            NDArray promptIds = step.create(ids, new Shape(rows, width));
            NDArray logits = decoder.step(promptIds, padded ? step.create(mask, new Shape(rows, width)) : null)
                    .get(":, -1, :").duplicate(); // (B, V), a copy: the prompt's (B, T, V) logits can go
            logits.attach(batch);
            return new DecoderStart(decoder, logits);
        } catch (RuntimeException e) {
            decoder.close();
            throw e;
        }
    }

    private DecoderStart repeatRows(int inputs, int rowsPerInput, NDManager batch) {
        long[] rows = new long[inputs * rowsPerInput];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i / rowsPerInput;
        }
        NDArray order = batch.create(rows);
        decoder.reorder(order);
        return new DecoderStart(decoder, logits.get(order));
    }
}
