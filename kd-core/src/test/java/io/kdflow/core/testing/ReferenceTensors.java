package io.kdflow.core.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.kdflow.core.safetensors.SafetensorsFile;
import io.kdflow.core.safetensors.TensorEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The tensors of a fixture's reference.safetensors as NDArrays, plus comparison helpers. */
public final class ReferenceTensors {

    private ReferenceTensors() {}

    public static Map<String, NDArray> load(Path file, NDManager manager) {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        try (SafetensorsFile reference = SafetensorsFile.open(file)) {
            for (String name : reference.names()) {
                TensorEntry entry = reference.entry(name);
                DataType type = switch (entry.dtype()) {
                    case F32 -> DataType.FLOAT32;
                    case I64 -> DataType.INT64;
                    default -> throw new IllegalStateException("unexpected dtype " + entry.dtype());
                };
                try (NDArray aliased = manager.create(reference.read(name), new Shape(entry.shape()), type)) {
                    tensors.put(name, aliased.duplicate());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return tensors;
    }

    /** max |a - b| over all elements (shapes must match). */
    public static double maxAbsDiff(NDArray actual, NDArray expected) {
        if (!actual.getShape().equals(expected.getShape())) {
            throw new AssertionError("shape " + actual.getShape() + " != expected " + expected.getShape());
        }
        float[] a = actual.toType(DataType.FLOAT32, false).toFloatArray();
        float[] b = expected.toType(DataType.FLOAT32, false).toFloatArray();
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            double diff = Math.abs((double) a[i] - b[i]);
            if (Double.isNaN(diff)) {
                return Double.NaN;
            }
            max = Math.max(max, diff);
        }
        return max;
    }
}
