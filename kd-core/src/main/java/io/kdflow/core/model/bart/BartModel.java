package io.kdflow.core.model.bart;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.kdflow.core.model.AttendedLogits;
import io.kdflow.core.model.AttentionBlock;
import io.kdflow.core.model.EncoderOutput;
import io.kdflow.core.model.IncrementalDecoder;
import io.kdflow.core.model.Parameter;
import io.kdflow.core.model.Seq2SeqModel;
import io.kdflow.core.model.config.BartConfig;
import io.kdflow.core.model.nn.AttentionMasks;
import io.kdflow.core.model.nn.Autograd;
import io.kdflow.core.model.nn.CrossAttentionMemory;
import io.kdflow.core.model.nn.DecoderState;
import io.kdflow.core.model.nn.DenormalFlush;
import io.kdflow.core.model.nn.Dropout;
import io.kdflow.core.model.nn.Embeddings;
import io.kdflow.core.model.nn.Inputs;
import io.kdflow.core.model.nn.LayerNorm;
import io.kdflow.core.model.nn.LayerScope;
import io.kdflow.core.model.nn.Linear;
import io.kdflow.core.model.nn.MultiHeadAttention;
import io.kdflow.core.model.nn.QueryKeyValue;
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

/** {@code BartForConditionalGeneration} on NDArrays, numerically equal to {@code transformers}. */
public final class BartModel implements Seq2SeqModel {

    private final BartConfig config;
    private final NDManager manager;
    private final Scalars scalars;
    private final Map<String, NDArray> weights;
    private final List<Parameter> parameters;
    private final NDArray shared;
    private final Linear lmHead;
    private final Stack encoder;
    private final Stack decoder;
    private final BartEncoderLayer[] encoderLayers;
    private final BartDecoderLayer[] decoderLayers;

    /** Embedding-side weights of one stack. */
    private record Stack(NDArray positions, LayerNorm embeddingNorm) {}

    BartModel(BartConfig config, Map<String, NDArray> weights, NDManager manager) {
        this.config = config;
        this.manager = manager;
        this.weights = weights;
        this.scalars = new Scalars(manager);
        weights.values().forEach(array -> array.attach(manager));
        List<Parameter> params = new ArrayList<>();
        weights.forEach((name, array) -> params.add(name.equals(BartLayout.FINAL_LOGITS_BIAS)
                ? Parameter.buffer(name, array) : Parameter.of(name, array)));
        this.parameters = Collections.unmodifiableList(params);
        this.shared = weights.get(BartLayout.SHARED);
        NDArray finalLogitsBias = weights.get(BartLayout.FINAL_LOGITS_BIAS);
        // final_logits_bias is a buffer transformers never trains; when it is all zeros, as BART
        // checkpoints have it, the LM head is a plain matrix multiply (no bias pass over (B, T, V)).
        this.lmHead = new Linear(config.tieWordEmbeddings() ? shared : weights.get(BartLayout.LM_HEAD),
                allZeros(finalLogitsBias) ? null : finalLogitsBias);
        this.encoder = stack("encoder");
        this.decoder = stack("decoder");
        this.encoderLayers = new BartEncoderLayer[config.encoderLayers()];
        for (int i = 0; i < encoderLayers.length; i++) {
            String p = BartLayout.PREFIX + "encoder.layers." + i + ".";
            encoderLayers[i] = new BartEncoderLayer(selfAttention(p, config.encoderAttentionHeads()),
                    norm(p + "self_attn_layer_norm"), linear(p + "fc1"), linear(p + "fc2"), norm(p + "final_layer_norm"),
                    config.activation(), config.dropout(), config.activationDropout(), scalars);
        }
        this.decoderLayers = new BartDecoderLayer[config.decoderLayers()];
        for (int i = 0; i < decoderLayers.length; i++) {
            String p = BartLayout.PREFIX + "decoder.layers." + i + ".";
            int heads = config.decoderAttentionHeads();
            MultiHeadAttention cross = MultiHeadAttention.cross(linear(p + "encoder_attn.q_proj"),
                    linear(p + "encoder_attn.kv_proj"), linear(p + "encoder_attn.out_proj"), heads,
                    queryScale(heads), config.attentionDropout());
            decoderLayers[i] = new BartDecoderLayer(selfAttention(p, heads), norm(p + "self_attn_layer_norm"), cross,
                    norm(p + "encoder_attn_layer_norm"), linear(p + "fc1"), linear(p + "fc2"),
                    norm(p + "final_layer_norm"), config.activation(), config.dropout(), config.activationDropout(),
                    scalars);
        }
    }

    private Stack stack(String name) {
        String p = BartLayout.PREFIX + name + ".";
        return new Stack(weights.get(p + "embed_positions.weight"), norm(p + "layernorm_embedding"));
    }

    private MultiHeadAttention selfAttention(String layerPrefix, int heads) {
        return MultiHeadAttention.self(linear(layerPrefix + "self_attn.qkv_proj"), linear(layerPrefix + "self_attn.out_proj"),
                heads, queryScale(heads), config.attentionDropout());
    }

    private NDArray queryScale(int heads) {
        return scalars.of((float) Math.pow((double) config.dModel() / heads, -0.5));
    }

    private Linear linear(String prefix) {
        return new Linear(require(prefix + ".weight"), require(prefix + ".bias"));
    }

    private LayerNorm norm(String prefix) {
        return new LayerNorm(require(prefix + ".weight"), require(prefix + ".bias"), BartConfig.LAYER_NORM_EPS);
    }

    private NDArray require(String name) {
        return StateDicts.require(weights, "BART", name);
    }

    @Override
    public BartConfig config() {
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
        return BartWeights.split(config, weights, target);
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
     * {@inheritDoc} The blocks are those of the last encoder layer and the last decoder layer; their projections
     * are taken from the inputs those attentions get in this pass (queries scaled by 1/sqrt(head_dim), as
     * {@code transformers}' BART stores them).
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

    /** The encoder on the grid; the last layer's self-attention projections go to {@code captured} when asked for. */
    private EncoderOutput encodeInMode(NDArray inputIds, NDArray attentionMask, RunMode mode,
            Set<AttentionBlock> blocks, Map<AttentionBlock, QueryKeyValue> captured) {
        DenormalFlush.ensureEnabled();
        Inputs.checkIds(inputIds, "input_ids", config.maxPositionEmbeddings());
        Inputs.checkMask(attentionMask, inputIds, "attention_mask");
        NDArray mask = AttentionMasks.keyPaddingIfAny(attentionMask, scalars); // (B, 1, 1, S) or null
        Map<AttentionBlock, QueryKeyValue> sink = blocks.contains(AttentionBlock.ENCODER_SELF) ? captured : null;
        return new EncoderOutput(encoderStack(inputIds, RowLayout.GRID, mask, mode, sink), attentionMask);
    }

    /**
     * The encoder layers over rows laid out as {@code rows}: (B, S, E) on the grid, (Ns, E) packed. The last
     * layer's self-attention projections go to {@code captured} unless it is null.
     */
    private NDArray encoderStack(NDArray inputIds, RowLayout rows, NDArray mask, RunMode mode,
            Map<AttentionBlock, QueryKeyValue> captured) {
        NDArray x = embedded(inputIds, encoder, rows, mode);
        for (int i = 0; i < encoderLayers.length; i++) {
            if (i == encoderLayers.length - 1 && captured != null) {
                captured.put(AttentionBlock.ENCODER_SELF, encoderLayers[i].selfAttention().projections(rows.pad(x)));
            }
            BartEncoderLayer layer = encoderLayers[i];
            NDArray input = x;
            x = LayerScope.next(input, () -> layer.forward(input, mask, rows, mode), null);
        }
        return x;
    }

    @Override
    public NDArray decodeHidden(NDArray decoderInputIds, NDArray decoderAttentionMask, EncoderOutput encoderOutput,
            RunMode mode) {
        try (Autograd.Scope grad = mode.gradScope()) {
            return decoderHidden(decoderInputIds, decoderAttentionMask, encoderOutput, mode, Set.of(), null);
        }
    }

    /** The decoder's last hidden states (B, T, E), before the LM head. */
    private NDArray decoderHidden(NDArray decoderInputIds, NDArray decoderAttentionMask, EncoderOutput encoderOutput,
            RunMode mode, Set<AttentionBlock> blocks, Map<AttentionBlock, QueryKeyValue> captured) {
        DenormalFlush.ensureEnabled();
        Inputs.checkIds(decoderInputIds, "decoder_input_ids", config.maxPositionEmbeddings());
        Inputs.checkMask(decoderAttentionMask, decoderInputIds, "decoder_attention_mask");
        NDArray encoderMask = AttentionMasks.keyPaddingIfAny(encoderOutput.attentionMask(), scalars);
        return decoderStack(decoderInputIds, RowLayout.GRID, selfMask(decoderInputIds, decoderAttentionMask),
                encoderOutput.hiddenStates(), RowLayout.GRID, encoderMask, mode, blocks, captured);
    }

    /** The causal self-attention mask, with the target's padding when given: (1 or B, 1, T, T). */
    private NDArray selfMask(NDArray decoderInputIds, NDArray decoderAttentionMask) {
        int length = Math.toIntExact(decoderInputIds.getShape().get(1));
        NDArray causal = AttentionMasks.causal(decoderInputIds.getManager(), length, length, 0);
        return decoderAttentionMask == null ? causal
                : AttentionMasks.combine(causal, AttentionMasks.keyPadding(decoderAttentionMask, scalars), scalars);
    }

    /**
     * The teacher-forced decoder layers over target rows laid out as {@code rows} and source rows as
     * {@code sourceRows}: (B, T, E) on the grid, (Nt, E) packed. The last layer's projections go to
     * {@code captured} for the asked {@code blocks}.
     */
    private NDArray decoderStack(NDArray decoderInputIds, RowLayout rows, NDArray selfMask, NDArray source,
            RowLayout sourceRows, NDArray encoderMask, RunMode mode, Set<AttentionBlock> blocks,
            Map<AttentionBlock, QueryKeyValue> captured) {
        NDArray x = embedded(decoderInputIds, decoder, rows, mode);
        for (int i = 0; i < decoderLayers.length; i++) {
            Map<AttentionBlock, QueryKeyValue> sink = i == decoderLayers.length - 1 ? captured : null;
            BartDecoderLayer layer = decoderLayers[i];
            NDArray input = x;
            x = LayerScope.next(input, () -> layer.forward(input, selfMask, rows, source, sourceRows, encoderMask,
                    mode, blocks, sink), sink);
        }
        return x;
    }

    /**
     * {@inheritDoc} Encoder and decoder run packed ({@link RowPacking}): the linear layers, feed-forward blocks,
     * norms and dropout see only the real source positions and the target prefixes up to each row's last asked
     * position; only the attention products see the padded grid. The same arithmetic on fewer rows: the padding
     * the full pass computed never reached these positions.
     */
    @Override
    public NDArray logitsAt(NDArray inputIds, NDArray attentionMask, NDArray decoderInputIds, NDArray positions,
            RunMode mode) {
        try (Autograd.Scope grad = mode.gradScope()) {
            DenormalFlush.ensureEnabled();
            Inputs.checkIds(inputIds, "input_ids", config.maxPositionEmbeddings());
            Inputs.checkMask(attentionMask, inputIds, "attention_mask");
            Inputs.checkIds(decoderInputIds, "decoder_input_ids", config.maxPositionEmbeddings());
            RowPacking sourceRows = RowPacking.ofMask(attentionMask);
            NDArray encoderMask = AttentionMasks.keyPaddingIfAny(attentionMask, scalars); // (B, 1, 1, S) or null
            NDArray source = encoderStack(inputIds, sourceRows, encoderMask, mode, null); // (Ns, E)

            Shape grid = decoderInputIds.getShape();
            long[] asked = positions.toLongArray();
            RowPacking targetRows = RowPacking.ofCausalPrefixes(asked, Math.toIntExact(grid.get(0)),
                    Math.toIntExact(grid.get(1)), decoderInputIds.getManager());
            NDArray target = decoderStack(decoderInputIds, targetRows, selfMask(decoderInputIds, null), source,
                    sourceRows, encoderMask, mode, Set.of(), null); // (Nt, E)
            return lmHead(targetRows.at(target, asked)); // (N, V)
        }
    }

    @Override
    public IncrementalDecoder startDecoding(EncoderOutput encoderOutput, int capacity) {
        DenormalFlush.ensureEnabled();
        if (capacity > config.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("capacity " + capacity + " exceeds max_position_embeddings "
                    + config.maxPositionEmbeddings());
        }
        NDArray hidden = encoderOutput.hiddenStates();
        NDManager stateManager = hidden.getManager().newSubManager();
        try (Autograd.Scope noGrad = Autograd.disabled()) {
            CrossAttentionMemory[] memories = new CrossAttentionMemory[decoderLayers.length];
            for (int i = 0; i < memories.length; i++) {
                memories[i] = decoderLayers[i].crossAttention().memory(hidden);
                memories[i].compact();
                memories[i].keysT().attach(stateManager);
                memories[i].values().attach(stateManager);
            }
            NDArray encoderMask = AttentionMasks.keyPaddingIfAny(encoderOutput.attentionMask(), scalars);
            if (encoderMask != null) {
                encoderMask.attach(stateManager);
            }
            int heads = config.decoderAttentionHeads();
            DecoderState state = new DecoderState(stateManager, hidden.getShape().get(0), decoderLayers.length, heads,
                    config.dModel() / heads, capacity, memories, encoderMask);
            return new Decoder(state);
        } catch (RuntimeException e) {
            stateManager.close();
            throw e;
        }
    }

    /** Token embeddings (scaled) + learned positions from {@code first}, layer norm, dropout. */
    private NDArray embed(NDArray ids, Stack stack, int first, RunMode mode) {
        return Dropout.apply(stack.embeddingNorm().apply(embeddingSum(ids, stack, first)), config.dropout(), mode);
    }

    /** {@link #embed} from position 0 of the rows laid out as {@code rows}: (B, T, E) or (N, E). */
    private NDArray embedded(NDArray ids, Stack stack, RowLayout rows, RunMode mode) {
        NDArray x = rows.pack(embeddingSum(ids, stack, 0)); // (N, E)
        return Dropout.apply(stack.embeddingNorm().apply(x), config.dropout(), mode);
    }

    /** Token embeddings (scaled) + learned positions from {@code first}: (B, T, E). */
    private NDArray embeddingSum(NDArray ids, Stack stack, int first) {
        NDArray x = Embeddings.lookup(ids, shared);
        if (config.scaleEmbedding()) {
            x = x.mul(scalars.of(config.embedScale()));
        }
        long length = ids.getShape().get(1);
        return x.add(Embeddings.positions(ids, stack.positions(), first + BartConfig.POSITION_OFFSET, length));
    }

    @Override
    public NDArray lmHead(NDArray x) {
        return lmHead.apply(x); // (..., E) -> (..., V)
    }

    private static boolean allZeros(NDArray array) {
        try (NDArray magnitude = array.abs(); NDArray largest = magnitude.max()) {
            return largest.getFloat() == 0f;
        }
    }

    /** The KV-cached decoder of one batch. */
    private final class Decoder implements IncrementalDecoder {

        private final DecoderState state;

        Decoder(DecoderState state) {
            this.state = state;
        }

        @Override
        public NDArray step(NDArray tokens, NDArray tokenMask) {
            DenormalFlush.ensureEnabled();
            Inputs.checkIds(tokens, "tokens", 0);
            try (Autograd.Scope noGrad = Autograd.disabled()) {
                int start = state.begin(tokens, tokenMask, scalars);
                int steps = Math.toIntExact(tokens.getShape().get(1));
                NDArray x = embed(tokens, decoder, start, RunMode.INFERENCE); // (B, T, E)
                if (steps == 1) {
                    x = x.reshape(state.batchSize(), -1); // (B, E): one position needs no transposes
                }
                NDArray selfMask = state.selfAttentionMask(tokens.getManager(), start, steps, scalars);
                for (int i = 0; i < decoderLayers.length; i++) {
                    x = decoderLayers[i].step(x, selfMask, state, i, start);
                }
                state.advance(steps);
                NDArray logits = lmHead(x);
                return steps == 1 ? logits.reshape(state.batchSize(), 1, -1) : logits; // (B, T, V)
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
