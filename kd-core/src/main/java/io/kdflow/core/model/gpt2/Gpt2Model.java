package io.kdflow.core.model.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.kdflow.core.model.CausalLm;
import io.kdflow.core.model.IncrementalDecoder;
import io.kdflow.core.model.Parameter;
import io.kdflow.core.model.config.Gpt2Config;
import io.kdflow.core.model.nn.AttentionMasks;
import io.kdflow.core.model.nn.Autograd;
import io.kdflow.core.model.nn.DecoderState;
import io.kdflow.core.model.nn.DenormalFlush;
import io.kdflow.core.model.nn.Dropout;
import io.kdflow.core.model.nn.Embeddings;
import io.kdflow.core.model.nn.Inputs;
import io.kdflow.core.model.nn.LayerNorm;
import io.kdflow.core.model.nn.LayerScope;
import io.kdflow.core.model.nn.Linear;
import io.kdflow.core.model.nn.MultiHeadAttention;
import io.kdflow.core.model.nn.RowLayout;
import io.kdflow.core.model.nn.RowPacking;
import io.kdflow.core.model.nn.RunMode;
import io.kdflow.core.model.nn.Scalars;
import io.kdflow.core.model.weights.StateDicts;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** {@code GPT2LMHeadModel} on NDArrays. */
public final class Gpt2Model implements CausalLm {

    private final Gpt2Config config;
    private final NDManager manager;
    private final Scalars scalars;
    private final Map<String, NDArray> weights;
    private final List<Parameter> parameters;
    private final NDArray wte;
    private final NDArray wpe;
    private final NDArray lmHead;
    private final Gpt2Block[] blocks;
    private final LayerNorm finalNorm;

    Gpt2Model(Gpt2Config config, Map<String, NDArray> weights, NDManager manager) {
        this.config = config;
        this.manager = manager;
        this.weights = weights;
        this.scalars = new Scalars(manager);
        weights.values().forEach(array -> array.attach(manager));
        List<Parameter> params = new ArrayList<>();
        weights.forEach((name, array) -> params.add(Parameter.of(name, array)));
        this.parameters = Collections.unmodifiableList(params);
        this.wte = require(Gpt2Layout.WTE);
        this.wpe = require(Gpt2Layout.WPE);
        this.lmHead = config.tieWordEmbeddings() ? wte : require(Gpt2Layout.LM_HEAD);
        this.blocks = new Gpt2Block[config.nLayer()];
        int headDim = config.nEmbd() / config.nHead();
        for (int i = 0; i < blocks.length; i++) {
            String b = Gpt2Layout.block(i);
            double scale = config.scaleAttnWeights() ? Math.pow(headDim, -0.5) : 1.0;
            if (config.scaleAttnByInverseLayerIdx()) {
                scale /= i + 1;
            }
            MultiHeadAttention attention = MultiHeadAttention.self(conv(b + "attn.c_attn"), conv(b + "attn.c_proj"),
                    config.nHead(), scale == 1.0 ? null : scalars.of((float) scale), config.attnPdrop());
            blocks[i] = new Gpt2Block(norm(b + "ln_1"), attention, norm(b + "ln_2"), conv(b + "mlp.c_fc"),
                    conv(b + "mlp.c_proj"), config.activation(), config.residPdrop(), scalars);
        }
        this.finalNorm = norm(Gpt2Layout.PREFIX + "ln_f");
    }

    private Linear conv(String module) {
        return new Linear(require(module + Gpt2Weights.LINEAR_WEIGHT), require(module + ".bias"));
    }

    private LayerNorm norm(String prefix) {
        return new LayerNorm(require(prefix + ".weight"), require(prefix + ".bias"), (float) config.layerNormEpsilon());
    }

    private NDArray require(String name) {
        return StateDicts.require(weights, "GPT-2", name);
    }

    @Override
    public Gpt2Config config() {
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
        return Gpt2Weights.toCheckpoint(config, weights, target);
    }

    @Override
    public NDArray logits(NDArray inputIds, NDArray attentionMask, RunMode mode) {
        try (Autograd.Scope grad = mode.gradScope()) {
            return logitsInMode(inputIds, attentionMask, mode);
        }
    }

    /**
     * {@inheritDoc} The blocks run packed ({@link RowPacking}): everything but the attention products sees only each
     * row's positions up to its last asked one, less the padding before it.
     */
    @Override
    public NDArray logitsAt(NDArray inputIds, NDArray attentionMask, NDArray positions, RunMode mode) {
        try (Autograd.Scope grad = mode.gradScope()) {
            long[] asked = positions.toLongArray();
            Shape grid = inputIds.getShape();
            RowPacking rows = RowPacking.ofCausalPrefixes(asked, Math.toIntExact(grid.get(0)),
                    Math.toIntExact(grid.get(1)), attentionMask, inputIds.getManager());
            NDArray hidden = hiddenInMode(inputIds, attentionMask, rows, mode); // (N', E)
            return new Linear(lmHead, null).apply(rows.at(hidden, asked)); // (N, V)
        }
    }

    private NDArray logitsInMode(NDArray inputIds, NDArray attentionMask, RunMode mode) {
        return new Linear(lmHead, null).apply(hiddenInMode(inputIds, attentionMask, mode)); // (B, T, V)
    }

    /** The final norm's output (B, T, E), before the LM head. */
    private NDArray hiddenInMode(NDArray inputIds, NDArray attentionMask, RunMode mode) {
        return hiddenInMode(inputIds, attentionMask, RowLayout.GRID, mode);
    }

    /** The final norm's output, laid out as {@code rows} says: (B, T, E) on the grid, (N, E) packed. */
    private NDArray hiddenInMode(NDArray inputIds, NDArray attentionMask, RowLayout rows, RunMode mode) {
        DenormalFlush.ensureEnabled();
        Inputs.checkIds(inputIds, "input_ids", config.nPositions());
        Inputs.checkMask(attentionMask, inputIds, "attention_mask");
        int length = Math.toIntExact(inputIds.getShape().get(1));
        NDArray mask = AttentionMasks.causal(inputIds.getManager(), length, length, 0);
        NDArray positions;
        if (attentionMask == null) {
            positions = Embeddings.positions(inputIds, wpe, 0, length); // (T, E)
        } else {
            mask = AttentionMasks.combine(mask, AttentionMasks.keyPadding(attentionMask, scalars), scalars);
            positions = Embeddings.lookup(positionIds(attentionMask), wpe); // (B, T, E)
        }
        NDArray x = Embeddings.lookup(inputIds, wte).add(positions); // (B, T, E)
        x = Dropout.apply(rows.pack(x), config.embdPdrop(), mode);
        NDArray attentionBias = mask;
        for (Gpt2Block block : blocks) {
            NDArray input = x;
            x = LayerScope.next(input, () -> block.forward(input, attentionBias, rows, mode), null);
        }
        return finalNorm.apply(x);
    }

    /** transformers' generate: position = (number of real tokens so far) - 1, padding gets 1. */
    private static NDArray positionIds(NDArray attentionMask) {
        NDArray mask = attentionMask.toType(DataType.INT64, false);
        NDArray counted = mask.cumSum(1).sub(1L);
        NDArray ones = counted.onesLike();
        return NDArrays.where(mask.eq(0L), ones, counted);
    }

    @Override
    public IncrementalDecoder startDecoding(long batchSize, int capacity) {
        DenormalFlush.ensureEnabled();
        if (capacity > config.nPositions()) {
            throw new IllegalArgumentException("capacity " + capacity + " exceeds n_positions " + config.nPositions());
        }
        NDManager stateManager = manager.newSubManager();
        DecoderState state = new DecoderState(stateManager, batchSize, blocks.length, config.nHead(),
                config.nEmbd() / config.nHead(), capacity, null, null);
        return new Decoder(state);
    }

    /** The KV-cached decoder; tracks per row how many real tokens it has seen, for position ids. */
    private final class Decoder implements IncrementalDecoder {

        private final DecoderState state;
        private long[] realTokens;

        Decoder(DecoderState state) {
            this.state = state;
            this.realTokens = new long[Math.toIntExact(state.batchSize())];
        }

        @Override
        public NDArray step(NDArray tokens, NDArray tokenMask) {
            DenormalFlush.ensureEnabled();
            Inputs.checkIds(tokens, "tokens", 0);
            try (Autograd.Scope noGrad = Autograd.disabled()) {
                int start = state.begin(tokens, tokenMask, scalars);
                int steps = Math.toIntExact(tokens.getShape().get(1));
                NDArray positions = tokens.getManager().create(positions(tokenMask, steps),
                        new Shape(realTokens.length, steps));
                NDArray x = Embeddings.lookup(tokens, wte).add(Embeddings.lookup(positions, wpe));
                NDArray mask = state.selfAttentionMask(tokens.getManager(), start, steps, scalars);
                for (int i = 0; i < blocks.length; i++) {
                    x = blocks[i].step(x, mask, state, i, start);
                }
                state.advance(steps);
                return new Linear(lmHead, null).apply(finalNorm.apply(x));
            }
        }

        private long[] positions(NDArray tokenMask, int steps) {
            long[] mask = tokenMask == null ? null : tokenMask.toType(DataType.INT64, false).toLongArray();
            long[] positions = new long[realTokens.length * steps];
            for (int row = 0; row < realTokens.length; row++) {
                for (int t = 0; t < steps; t++) {
                    boolean real = mask == null || mask[row * steps + t] != 0;
                    if (real) {
                        realTokens[row]++;
                    }
                    positions[row * steps + t] = real ? realTokens[row] - 1 : 1;
                }
            }
            return positions;
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
            long[] order = rows.toLongArray();
            state.reorder(rows);
            long[] reordered = new long[order.length];
            for (int i = 0; i < order.length; i++) {
                reordered[i] = realTokens[Math.toIntExact(order[i])];
            }
            realTokens = reordered;
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
