package io.kdflow.core.model.t5;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.kdflow.core.model.AttendedLogits;
import io.kdflow.core.model.AttentionBlock;
import io.kdflow.core.model.EncoderOutput;
import io.kdflow.core.model.IncrementalDecoder;
import io.kdflow.core.model.Parameter;
import io.kdflow.core.model.Seq2SeqModel;
import io.kdflow.core.model.config.T5Config;
import io.kdflow.core.model.nn.AttentionMasks;
import io.kdflow.core.model.nn.Autograd;
import io.kdflow.core.model.nn.CrossAttentionMemory;
import io.kdflow.core.model.nn.DecoderState;
import io.kdflow.core.model.nn.DenormalFlush;
import io.kdflow.core.model.nn.Dropout;
import io.kdflow.core.model.nn.Embeddings;
import io.kdflow.core.model.nn.Inputs;
import io.kdflow.core.model.nn.LayerScope;
import io.kdflow.core.model.nn.Linear;
import io.kdflow.core.model.nn.MultiHeadAttention;
import io.kdflow.core.model.nn.QueryKeyValue;
import io.kdflow.core.model.nn.RmsNorm;
import io.kdflow.core.model.nn.RowLayout;
import io.kdflow.core.model.nn.RowPacking;
import io.kdflow.core.model.nn.RunMode;
import io.kdflow.core.model.nn.Scalars;
import io.kdflow.core.model.weights.StateDicts;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code T5ForConditionalGeneration} (v1.0 and v1.1) on NDArrays. The relative position bias lives in
 * block 0 of each stack and is shared by all its blocks, together with the attention mask.
 */
public final class T5Model implements Seq2SeqModel {

    private final T5Config config;
    private final NDManager manager;
    private final Scalars scalars;
    private final Map<String, NDArray> weights;
    private final List<Parameter> parameters;
    private final NDArray shared;
    private final NDArray lmHead;
    private final T5Block[] encoderBlocks;
    private final T5Block[] decoderBlocks;
    private final RmsNorm encoderFinalNorm;
    private final RmsNorm decoderFinalNorm;
    private final RelativePositionBias encoderBias;
    private final RelativePositionBias decoderBias;

    T5Model(T5Config config, Map<String, NDArray> weights, NDManager manager) {
        this.config = config;
        this.manager = manager;
        this.weights = weights;
        this.scalars = new Scalars(manager);
        weights.values().forEach(array -> array.attach(manager));
        List<Parameter> params = new ArrayList<>();
        weights.forEach((name, array) -> params.add(Parameter.of(name, array)));
        this.parameters = Collections.unmodifiableList(params);
        this.shared = require(T5Layout.SHARED);
        this.lmHead = config.tieWordEmbeddings() ? shared : require(T5Layout.LM_HEAD);
        this.encoderBlocks = blocks("encoder", config.numLayers());
        this.decoderBlocks = blocks("decoder", config.numDecoderLayers());
        this.encoderFinalNorm = norm("encoder.final_layer_norm");
        this.decoderFinalNorm = norm("decoder.final_layer_norm");
        this.encoderBias = new RelativePositionBias(require(T5Layout.block("encoder", 0) + T5Layout.RELATIVE_BIAS), true,
                config.relativeAttentionNumBuckets(), config.relativeAttentionMaxDistance(), manager);
        this.decoderBias = new RelativePositionBias(require(T5Layout.block("decoder", 0) + T5Layout.RELATIVE_BIAS), false,
                config.relativeAttentionNumBuckets(), config.relativeAttentionMaxDistance(), manager);
    }

    private T5Block[] blocks(String stack, int count) {
        T5Block[] blocks = new T5Block[count];
        boolean decoder = stack.equals("decoder");
        for (int i = 0; i < count; i++) {
            String block = T5Layout.block(stack, i);
            String self = block + "layer.0.SelfAttention.";
            MultiHeadAttention selfAttention = MultiHeadAttention.self(linear(self + T5Weights.QKV),
                    linear(self + "o.weight"), config.numHeads(), null, config.dropoutRate());
            MultiHeadAttention cross = null;
            RmsNorm crossNorm = null;
            if (decoder) {
                String enc = block + "layer.1.EncDecAttention.";
                cross = MultiHeadAttention.cross(linear(enc + "q.weight"), linear(enc + T5Weights.KV),
                        linear(enc + "o.weight"), config.numHeads(), null, config.dropoutRate());
                crossNorm = norm(block + "layer.1.layer_norm");
            }
            String ff = block + "layer." + T5Layout.feedForwardIndex(stack) + ".";
            Linear wi = linear(ff + (config.gatedActivation() ? T5Weights.GATED : "DenseReluDense.wi.weight"));
            T5FeedForward feedForward = new T5FeedForward(wi, linear(ff + "DenseReluDense.wo.weight"),
                    config.gatedActivation(), config.activation(), config.dropoutRate(), scalars);
            blocks[i] = new T5Block(selfAttention, norm(block + "layer.0.layer_norm"), cross, crossNorm, feedForward,
                    norm(ff + "layer_norm"), config.dropoutRate(), scalars);
        }
        return blocks;
    }

    private Linear linear(String name) {
        return new Linear(require(name), null);
    }

    private RmsNorm norm(String prefix) {
        return new RmsNorm(require(prefix + ".weight"), (float) config.layerNormEpsilon());
    }

    private NDArray require(String name) {
        return StateDicts.require(weights, "T5", name);
    }

    @Override
    public T5Config config() {
        return config;
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public NDManager manager() {
        return manager;
    }

    @Override
    public Map<String, NDArray> stateDict(NDManager target) {
        return T5Weights.split(config, weights, target);
    }

    @Override
    public EncoderOutput encode(NDArray inputIds, NDArray attentionMask, RunMode mode) {
        try (Autograd.Scope grad = mode.gradScope()) {
            return encodeInMode(inputIds, attentionMask, mode);
        }
    }

    @Override
    public Set<AttentionBlock> exposedAttention() {
        return EnumSet.allOf(AttentionBlock.class);
    }

    /**
     * {@inheritDoc} The blocks are those of the last encoder block and the last decoder block, projected from the
     * layer-normed inputs their attentions get in this pass (T5 does not scale its queries).
     */
    @Override
    public AttendedLogits logitsWithAttention(NDArray inputIds, NDArray attentionMask, NDArray decoderInputIds,
            Set<AttentionBlock> blocks, RunMode mode) {
        Map<AttentionBlock, QueryKeyValue> captured = new EnumMap<>(AttentionBlock.class);
        try (Autograd.Scope grad = mode.gradScope()) {
            EncoderOutput encoded = encodeInMode(inputIds, attentionMask, mode, blocks, captured);
            NDArray logits = lmHead(decoderHidden(decoderInputIds, null, encoded, mode, blocks, captured)); // (B, T, V)
            return new AttendedLogits(logits, captured);
        }
    }

    private EncoderOutput encodeInMode(NDArray inputIds, NDArray attentionMask, RunMode mode) {
        return encodeInMode(inputIds, attentionMask, mode, Set.of(), null);
    }

    /** The encoder on the grid; the last block's self-attention projections go to {@code captured} when asked for. */
    private EncoderOutput encodeInMode(NDArray inputIds, NDArray attentionMask, RunMode mode,
            Set<AttentionBlock> blocks, Map<AttentionBlock, QueryKeyValue> captured) {
        DenormalFlush.ensureEnabled();
        Inputs.checkIds(inputIds, "input_ids", 0);
        Inputs.checkMask(attentionMask, inputIds, "attention_mask");
        NDArray keyPadding = AttentionMasks.keyPadding(attentionMask, scalars); // (B, 1, 1, S)
        Map<AttentionBlock, QueryKeyValue> sink = blocks.contains(AttentionBlock.ENCODER_SELF) ? captured : null;
        return new EncoderOutput(encoderStack(inputIds, RowLayout.GRID, keyPadding, mode, sink), attentionMask);
    }

    /**
     * The encoder blocks, final norm and dropout included, over rows laid out as {@code rows}: (B, S, E) on the
     * grid, (Ns, E) packed. The last block's self-attention projections go to {@code captured} unless it is null.
     */
    private NDArray encoderStack(NDArray inputIds, RowLayout rows, NDArray keyPadding, RunMode mode,
            Map<AttentionBlock, QueryKeyValue> captured) {
        int length = Math.toIntExact(inputIds.getShape().get(1));
        NDArray x = Dropout.apply(rows.pack(Embeddings.lookup(inputIds, shared)), config.dropoutRate(), mode);
        NDArray bias = AttentionMasks.combine(encoderBias.bias(inputIds, 0, length, length), keyPadding,
                scalars); // (B, H, S, S)
        for (int i = 0; i < encoderBlocks.length; i++) {
            Map<AttentionBlock, QueryKeyValue> sink = i == encoderBlocks.length - 1 ? captured : null;
            T5Block block = encoderBlocks[i];
            NDArray input = x;
            x = LayerScope.next(input, () -> block.encode(input, bias, rows, mode, sink), sink);
        }
        return Dropout.apply(encoderFinalNorm.apply(x, scalars), config.dropoutRate(), mode);
    }

    @Override
    public NDArray decodeHidden(NDArray decoderInputIds, NDArray decoderAttentionMask, EncoderOutput encoderOutput,
            RunMode mode) {
        try (Autograd.Scope grad = mode.gradScope()) {
            return decoderHidden(decoderInputIds, decoderAttentionMask, encoderOutput, mode, Set.of(), null);
        }
    }

    /** The decoder's final hidden states (B, T, E) after its final norm and dropout, before the LM head. */
    private NDArray decoderHidden(NDArray decoderInputIds, NDArray decoderAttentionMask, EncoderOutput encoderOutput,
            RunMode mode, Set<AttentionBlock> blocks, Map<AttentionBlock, QueryKeyValue> captured) {
        DenormalFlush.ensureEnabled();
        Inputs.checkIds(decoderInputIds, "decoder_input_ids", 0);
        Inputs.checkMask(decoderAttentionMask, decoderInputIds, "decoder_attention_mask");
        NDArray encoderMask = AttentionMasks.keyPadding(encoderOutput.attentionMask(), scalars);
        return decoderStack(decoderInputIds, RowLayout.GRID, selfBias(decoderInputIds, decoderAttentionMask),
                encoderOutput.hiddenStates(), RowLayout.GRID, encoderMask, mode, blocks, captured);
    }

    /** The decoder's relative position bias, causal, with the target's padding when given: (1 or B, H, T, T). */
    private NDArray selfBias(NDArray decoderInputIds, NDArray decoderAttentionMask) {
        int length = Math.toIntExact(decoderInputIds.getShape().get(1));
        NDArray mask = AttentionMasks.causal(decoderInputIds.getManager(), length, length, 0);
        if (decoderAttentionMask != null) {
            mask = AttentionMasks.combine(mask, AttentionMasks.keyPadding(decoderAttentionMask, scalars), scalars);
        }
        return AttentionMasks.combine(decoderBias.bias(decoderInputIds, 0, length, length), mask, scalars);
    }

    /**
     * The teacher-forced decoder blocks, final norm and dropout included, over target rows laid out as {@code rows}
     * and source rows as {@code sourceRows}: (B, T, E) on the grid, (Nt, E) packed. The last block's projections
     * go to {@code captured} for the asked {@code blocks}.
     */
    private NDArray decoderStack(NDArray decoderInputIds, RowLayout rows, NDArray selfBias, NDArray source,
            RowLayout sourceRows, NDArray encoderMask, RunMode mode, Set<AttentionBlock> blocks,
            Map<AttentionBlock, QueryKeyValue> captured) {
        NDArray x = Dropout.apply(rows.pack(Embeddings.lookup(decoderInputIds, shared)), config.dropoutRate(), mode);
        for (int i = 0; i < decoderBlocks.length; i++) {
            Map<AttentionBlock, QueryKeyValue> sink = i == decoderBlocks.length - 1 ? captured : null;
            T5Block block = decoderBlocks[i];
            NDArray input = x;
            x = LayerScope.next(input, () -> block.decode(input, selfBias, rows, source, sourceRows, encoderMask, mode,
                    blocks, sink), sink);
        }
        return Dropout.apply(decoderFinalNorm.apply(x, scalars), config.dropoutRate(), mode);
    }

    /**
     * {@inheritDoc} Encoder and decoder run packed ({@link RowPacking}): everything but the attention products sees
     * only the real source positions and the target prefixes up to each row's last asked position.
     */
    @Override
    public NDArray logitsAt(NDArray inputIds, NDArray attentionMask, NDArray decoderInputIds, NDArray positions,
            RunMode mode) {
        try (Autograd.Scope grad = mode.gradScope()) {
            DenormalFlush.ensureEnabled();
            Inputs.checkIds(inputIds, "input_ids", 0);
            Inputs.checkMask(attentionMask, inputIds, "attention_mask");
            Inputs.checkIds(decoderInputIds, "decoder_input_ids", 0);
            RowPacking sourceRows = RowPacking.ofMask(attentionMask);
            NDArray encoderMask = AttentionMasks.keyPadding(attentionMask, scalars); // (B, 1, 1, S)
            NDArray source = encoderStack(inputIds, sourceRows, encoderMask, mode, null); // (Ns, E)

            long[] asked = positions.toLongArray();
            int rows = Math.toIntExact(decoderInputIds.getShape().get(0));
            int length = Math.toIntExact(decoderInputIds.getShape().get(1));
            RowPacking targetRows = RowPacking.ofCausalPrefixes(asked, rows, length, decoderInputIds.getManager());
            NDArray hidden = decoderStack(decoderInputIds, targetRows, selfBias(decoderInputIds, null), source,
                    sourceRows, encoderMask, mode, Set.of(), null); // (Nt, E)
            return lmHead(targetRows.at(hidden, asked)); // (N, V)
        }
    }

    @Override
    public NDArray lmHead(NDArray x) {
        if (config.scaleDecoderOutputs()) {
            x = x.mul(scalars.of((float) Math.pow(config.dModel(), -0.5)));
        }
        return new Linear(lmHead, null).apply(x); // (..., E) -> (..., V)
    }

    @Override
    public IncrementalDecoder startDecoding(EncoderOutput encoderOutput, int capacity) {
        DenormalFlush.ensureEnabled();
        NDArray hidden = encoderOutput.hiddenStates();
        NDManager stateManager = hidden.getManager().newSubManager();
        try (Autograd.Scope noGrad = Autograd.disabled()) {
            CrossAttentionMemory[] memories = new CrossAttentionMemory[decoderBlocks.length];
            for (int i = 0; i < memories.length; i++) {
                memories[i] = decoderBlocks[i].crossAttention().memory(hidden);
                memories[i].compact();
                memories[i].keysT().attach(stateManager);
                memories[i].values().attach(stateManager);
            }
            NDArray encoderMask = AttentionMasks.keyPadding(encoderOutput.attentionMask(), scalars);
            encoderMask.attach(stateManager);
            DecoderState state = new DecoderState(stateManager, hidden.getShape().get(0), decoderBlocks.length,
                    config.numHeads(), config.dKv(), capacity, memories, encoderMask);
            NDArray positionBias = decoderBias.bias(encoderMask, 0, capacity, capacity); // (1, H, cap, cap)
            positionBias.attach(stateManager);
            return new Decoder(state, positionBias);
        } catch (RuntimeException e) {
            stateManager.close();
            throw e;
        }
    }

    /** The KV-cached decoder of one batch; the position bias of every (query, key) pair is precomputed. */
    private final class Decoder implements IncrementalDecoder {

        private final DecoderState state;
        private final NDArray positionBias;

        Decoder(DecoderState state, NDArray positionBias) {
            this.state = state;
            this.positionBias = positionBias;
        }

        @Override
        public NDArray step(NDArray tokens, NDArray tokenMask) {
            DenormalFlush.ensureEnabled();
            Inputs.checkIds(tokens, "tokens", 0);
            try (Autograd.Scope noGrad = Autograd.disabled()) {
                int start = state.begin(tokens, tokenMask, scalars);
                int steps = Math.toIntExact(tokens.getShape().get(1));
                int end = start + steps;
                NDArray bias = positionBias.get(new NDIndex(":, :, {}:{}, :{}", start, end, end));
                bias.attach(tokens.getManager());
                bias = AttentionMasks.combine(bias, state.selfAttentionMask(tokens.getManager(), start, steps, scalars),
                        scalars);
                NDArray x = Embeddings.lookup(tokens, shared);
                for (int i = 0; i < decoderBlocks.length; i++) {
                    x = decoderBlocks[i].step(x, bias, state, i, start);
                }
                state.advance(steps);
                return lmHead(decoderFinalNorm.apply(x, scalars));
            }
        }

        @Override
        public int length() {
            return state.length();
        }

        @Override
        public int capacity() {
            return state.capacity();
        }

        @Override
        public long batchSize() {
            return state.batchSize();
        }

        @Override
        public void reorder(NDArray rows) {
            state.reorder(rows);
        }

        @Override
        public void close() {
            state.close();
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
