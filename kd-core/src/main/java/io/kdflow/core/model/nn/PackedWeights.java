package io.kdflow.core.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The process's oneDNN-packed copies of weight matrices ({@link OneDnnLinear#pack}), one per weight and precision,
 * made on first use by a decoding step (whole-sequence passes pack per call, {@link Linear}) and kept until the
 * weight changes or is freed. A copy lives in its weight's manager, so closing a model frees its copies; the entry of
 * a freed weight is dropped the next time a weight is packed.
 *
 * <p>Weights change in place only through the optimizer, which calls {@link #invalidate} for every parameter it
 * updates. Keyed by identity: two weights never share an entry, whatever their contents or handles.
 */
public final class PackedWeights {

    private static final Map<LinearPrecision, Map<NDArray, NDArray>> PACKED = new EnumMap<>(LinearPrecision.class);

    static {
        for (LinearPrecision precision : LinearPrecision.values()) {
            PACKED.put(precision, new IdentityHashMap<>());
        }
    }

    private PackedWeights() {}

    /** The packed copy of {@code weight} (out, in) in {@code precision}, made now if there is none. */
    static NDArray of(NDArray weight, LinearPrecision precision) {
        synchronized (PACKED) {
            NDArray packed = held(weight, precision);
            if (packed != null) {
                return packed;
            }
            Map<NDArray, NDArray> copies = PACKED.get(precision);
            copies.keySet().removeIf(NDArray::isReleased);
            packed = OneDnnLinear.pack(weight, weight.getManager(), precision);
            // A layer's NDScope (LayerScope) closes every array made inside it; this copy outlives the layer, and
            // other decoding workers read it while the layer that packed it returns
            NDScope.unregister(packed);
            copies.put(weight, packed);
            return packed;
        }
    }

    /** The packed copy of {@code weight} in {@code precision} kept now, or null: none is made. */
    static NDArray held(NDArray weight, LinearPrecision precision) {
        synchronized (PACKED) {
            NDArray packed = PACKED.get(precision).get(weight);
            return packed == null || packed.isReleased() ? null : packed;
        }
    }

    /** Drops the packed copies of {@code weight}, if any: its values are about to change or have changed. */
    public static void invalidate(NDArray weight) {
        for (LinearPrecision precision : LinearPrecision.values()) {
            NDArray packed;
            synchronized (PACKED) {
                packed = PACKED.get(precision).remove(weight);
            }
            if (packed != null) {
                packed.close();
            }
        }
    }

    /** Whether {@code weight} has a packed copy now, in any precision. */
    static boolean holds(NDArray weight) {
        synchronized (PACKED) {
            for (LinearPrecision precision : LinearPrecision.values()) {
                if (held(weight, precision) != null) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Whether {@code array} is one of the packed copies held now. */
    public static boolean isPackedCopy(NDArray array) {
        synchronized (PACKED) {
            return PACKED.values().stream().anyMatch(copies -> copies.containsValue(array));
        }
    }
}
