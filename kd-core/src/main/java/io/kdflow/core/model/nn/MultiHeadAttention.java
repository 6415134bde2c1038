package io.kdflow.core.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/**
 * Multi-head attention with fused projections: self-attention projects q, k and v with one (3·H·D, E)
 * matrix, cross-attention projects k and v of the encoder output with one (2·H·D, E) matrix. The
 * optional query scale (BART, GPT-2: 1/sqrt(D); T5: none) multiplies q, which is exactly
 * {@code transformers}' arithmetic and gradient.
 */
public final class MultiHeadAttention {

    private final Linear queryKeyValue; // self-attention: (3HD, E); cross-attention: null
    private final Linear query; // cross-attention: (HD, E)
    private final Linear keyValue; // cross-attention: (2HD, E)
    private final Linear output; // (E, HD)
    private final int heads;
    private final long innerDim;
    private final NDArray queryScale; // 0-d, or null
    private final double dropout;

    private MultiHeadAttention(Linear queryKeyValue, Linear query, Linear keyValue, Linear output, int heads,
            long innerDim, NDArray queryScale, double dropout) {
        this.queryKeyValue = queryKeyValue;
        this.query = query;
        this.keyValue = keyValue;
        this.output = output;
        this.heads = heads;
        this.innerDim = innerDim;
        this.queryScale = queryScale;
        this.dropout = dropout;
    }

    /** Self-attention over one fused (3HD, E) projection. */
    public static MultiHeadAttention self(Linear queryKeyValue, Linear output, int heads, NDArray queryScale,
            double dropout) {
        long inner = queryKeyValue.outFeatures() / 3;
        return new MultiHeadAttention(queryKeyValue, null, null, output, heads, inner, queryScale, dropout);
    }

    /** Cross-attention: queries from the decoder, fused (2HD, E) keys/values from the encoder. */
    public static MultiHeadAttention cross(Linear query, Linear keyValue, Linear output, int heads,
            NDArray queryScale, double dropout) {
        return new MultiHeadAttention(null, query, keyValue, output, heads, query.outFeatures(), queryScale, dropout);
    }

    public int heads() {
        return heads;
    }

    public int headDim() {
        return Math.toIntExact(innerDim / heads);
    }

    /**
     * Self-attention over a whole sequence.
     *
     * @param x (B, T, E)
     * @param bias additive mask / position bias broadcastable to (B, H, T, T), or null
     * @return (B, T, E)
     */
    public NDArray forward(NDArray x, NDArray bias, RunMode mode) {
        return forward(x, bias, RowLayout.GRID, mode);
    }

    /**
     * Self-attention over a whole sequence laid out as {@code rows} says: the projections run on those rows (with
     * {@link RowPacking}, the N real positions only), the attention product on the padded grid.
     *
     * @param x (B, T, E) on the grid, (N, E) packed
     * @return the same layout and shape as {@code x}
     */
    public NDArray forward(NDArray x, NDArray bias, RowLayout rows, RunMode mode) {
        NDList qkv = rows.pad(queryKeyValue.apply(x)).split(new long[] {innerDim, 2 * innerDim}, 2); // 3 x (B, T, HD)
        NDArray q = scaled(Attention.heads(qkv.get(0), heads)); // (B, H, T, D)
        NDArray keysT = Attention.headsTransposed(qkv.get(1), heads); // (B, H, D, T)
        NDArray values = Attention.heads(qkv.get(2), heads); // (B, H, T, D)
        NDArray context = Attention.merge(Attention.attend(q, keysT, values, bias, dropout, mode)); // (B, T, HD)
        return output.apply(rows.pack(context));
    }

    /**
     * Self-attention of new positions against the cache (inference): writes their keys and values at
     * {@code start} and attends over positions 0 .. start+T-1.
     *
     * @param x (B, T, E), or (B, E) for a single position (then the result is (B, E) too)
     */
    public NDArray step(NDArray x, NDArray bias, SelfAttentionCache cache, int start) {
        boolean single = x.getShape().dimension() == 2;
        NDList qkv = queryKeyValue.apply(x).split(new long[] {innerDim, 2 * innerDim}, single ? 1 : 2);
        int end = start + (single ? 1 : Math.toIntExact(x.getShape().get(1)));
        NDArray q = scaled(Attention.heads(qkv.get(0), heads));
        cache.write(Attention.heads(qkv.get(1), heads), Attention.heads(qkv.get(2), heads), start);
        NDArray context = Attention.attend(q, cache.keysT(end, x.getManager()), cache.values(end, x.getManager()), bias,
                0, RunMode.INFERENCE);
        return output.apply(Attention.mergeLike(context, x));
    }

    /**
     * The queries, keys and values {@link #forward} computes from {@code x}, heads concatenated (the same weights
     * on the same input; computed again, so that {@link #forward} costs nothing extra when nobody asks).
     *
     * @param x (B, T, E) the self-attention's input
     * @return queries (scaled as {@link #forward} uses them), keys and values, each (B, T, H*D)
     */
    public QueryKeyValue projections(NDArray x) {
        NDList qkv = queryKeyValue.apply(x).split(new long[] {innerDim, 2 * innerDim}, 2);
        return new QueryKeyValue(scaled(qkv.get(0)), qkv.get(1), qkv.get(2)); // each (B, T, HD)
    }

    /**
     * The queries of {@code x} and the keys and values of {@code encoderHidden} that {@link #memory} and
     * {@link #cross} compute, heads concatenated (computed again, like {@link #projections}).
     *
     * @param x (B, T, E) the cross-attention's input from the decoder
     * @param encoderHidden (B, S, E)
     * @return queries (B, T, H*D), scaled as {@link #cross} uses them; keys and values (B, S, H*D)
     */
    public QueryKeyValue crossProjections(NDArray x, NDArray encoderHidden) {
        NDList kv = keyValue.apply(encoderHidden).split(2, 2);
        return new QueryKeyValue(scaled(query.apply(x)), kv.get(0), kv.get(1));
    }

    /** Keys (B, H, D, S) and values (B, H, S, D) of the encoder output (B, S, E), for cross-attention. */
    public CrossAttentionMemory memory(NDArray encoderHidden) {
        return memory(encoderHidden, RowLayout.GRID);
    }

    /**
     * {@link #memory} of encoder rows laid out as {@code sourceRows} says: with {@link RowPacking}, the key/value
     * projection runs on the N real source positions only.
     *
     * @param encoderHidden (B, S, E) on the grid, (N, E) packed
     */
    public CrossAttentionMemory memory(NDArray encoderHidden, RowLayout sourceRows) {
        NDList kv = sourceRows.pad(keyValue.apply(encoderHidden)).split(2, 2); // 2 x (B, S, HD)
        return new CrossAttentionMemory(Attention.headsTransposed(kv.get(0), heads), Attention.heads(kv.get(1), heads));
    }

    /**
     * Teacher-forced cross-attention of decoder rows laid out as {@code rows} says (one memory row per decoder row):
     * with {@link RowPacking}, the projections run on the N real target positions only.
     *
     * @param x (B, T, E) on the grid, (N, E) packed
     * @return the same layout and shape as {@code x}
     */
    public NDArray cross(NDArray x, CrossAttentionMemory memory, NDArray bias, RowLayout rows, RunMode mode) {
        if (rows == RowLayout.GRID) {
            return cross(x, memory, bias, mode); // the grid form also serves memory rows shared by k decoder rows
        }
        NDArray q = scaled(Attention.heads(rows.pad(query.apply(x)), heads)); // (B, H, T, D)
        NDArray context = Attention.attend(q, memory.keysT(), memory.values(), bias, dropout, mode); // (B, H, T, D)
        return output.apply(rows.pack(Attention.merge(context)));
    }

    /**
     * Cross-attention of decoder states (B, T, E) or one position (B, E) over an encoder memory; same shape out.
     * The memory may hold one row per k consecutive decoder rows (M = B / k: the K samples or beams of one
     * input); then the k rows' queries attend as one group, with the bias (M, 1, 1, S) given per memory row.
     */
    public NDArray cross(NDArray x, CrossAttentionMemory memory, NDArray bias, RunMode mode) {
        long rows = x.getShape().get(0);
        long memoryRows = memory.keysT().getShape().get(0);
        if (rows == memoryRows) {
            NDArray q = scaled(Attention.heads(query.apply(x), heads));
            NDArray context = Attention.attend(q, memory.keysT(), memory.values(), bias, dropout, mode);
            return output.apply(Attention.mergeLike(context, x));
        }
        if (rows % memoryRows != 0) {
            throw new IllegalArgumentException(rows + " decoder rows cannot share " + memoryRows + " memory rows");
        }
        Shape shape = x.getShape();
        // the k rows of one memory row side by side: (B, [T,] H*D) -> (M, k*T, H*D)
        NDArray grouped = query.apply(x).reshape(memoryRows, -1, innerDim);
        NDArray q = scaled(Attention.heads(grouped, heads)); // (M, H, k*T, D)
        NDArray context = Attention.attend(q, memory.keysT(), memory.values(), bias, dropout, mode); // (M, H, k*T, D)
        return output.apply(Attention.merge(context).reshape(shape.slice(0, shape.dimension() - 1).add(innerDim)));
    }

    private NDArray scaled(NDArray q) {
        return queryScale == null ? q : q.mul(queryScale);
    }
}
