package io.kdflow.core.model.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.Map;

/** Fusing checkpoint tensors into our layouts and splitting them back, bit for bit. */
public final class StateDicts {

    private StateDicts() {}

    /** Removes a tensor, failing with its name when it is absent. */
    public static NDArray take(Map<String, NDArray> tensors, String name) {
        NDArray array = tensors.remove(name);
        if (array == null) {
            throw new IllegalArgumentException("tensor '" + name + "' missing");
        }
        return array;
    }

    /** Looks a weight up without removing it, failing with "{@code <owner> weight '<name>' missing}". */
    public static NDArray require(Map<String, NDArray> weights, String owner, String name) {
        NDArray array = weights.get(name);
        if (array == null) {
            throw new IllegalArgumentException(owner + " weight '" + name + "' missing");
        }
        return array;
    }

    /** Replaces {@code parts} by their concatenation along axis 0 under {@code fusedName}. */
    public static void fuseRows(Map<String, NDArray> tensors, String fusedName, String... parts) {
        NDList list = new NDList();
        for (String part : parts) {
            list.add(take(tensors, part));
        }
        NDArray fused = NDArrays.concat(list, 0);
        list.close();
        tensors.put(fusedName, fused);
    }

    /** Splits a row-fused tensor into copies of {@code names.length} equal parts, owned by {@code manager}. */
    public static void splitRows(NDArray fused, Map<String, NDArray> out, NDManager manager, String... names) {
        long rows = fused.getShape().get(0) / names.length;
        for (int i = 0; i < names.length; i++) {
            try (NDArray view = fused.get("{}:{}", i * rows, (i + 1) * rows)) {
                out.put(names[i], copy(view, manager));
            }
        }
    }

    /** A contiguous copy owned by {@code manager}. */
    public static NDArray copy(NDArray array, NDManager manager) {
        NDArray copy = array.duplicate();
        copy.attach(manager);
        return copy;
    }

    /**
     * A transposed contiguous copy of a 2-D tensor owned by {@code manager}. The transposed view is flattened
     * first (which lays it out anew): a plain clone would keep its strides, and the optimizer's host views need
     * parameters laid out contiguously.
     */
    public static NDArray transposedCopy(NDArray array, NDManager manager) {
        try (NDArray view = array.transpose(1, 0); NDArray flat = view.flatten();
                NDArray laidOut = flat.reshape(view.getShape())) {
            return copy(laidOut, manager);
        }
    }
}
