package io.kdflow.core.model.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.kdflow.core.model.config.ModelConfig;
import io.kdflow.core.safetensors.SafetensorsDtype;
import io.kdflow.core.safetensors.TensorEntry;
import io.kdflow.core.safetensors.TensorSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the canonical tensors of a layout from a checkpoint as float32 arrays, checking every shape. */
public final class CheckpointReader {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointReader.class);

    private CheckpointReader() {}

    /** Reads (or, for optional absent ones, initialises) every canonical tensor into {@code manager}. */
    public static <C extends ModelConfig> Map<String, NDArray> read(TensorSource source, ArchitectureLayout<C> layout,
            C config, NDManager manager) throws IOException {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        Set<String> unused = new TreeSet<>(source.names());
        try {
            for (TensorSpec spec : layout.tensors(config)) {
                String found = firstPresent(source, layout.candidates(config, spec.name()));
                if (found == null) {
                    if (!spec.optional()) {
                        throw new ModelCheckpointException(source.location(spec.name()), spec.name(),
                                "missing from the checkpoint (looked for " + layout.candidates(config, spec.name()) + ")");
                    }
                    tensors.put(spec.name(), spec.init().create(manager, spec.shape()));
                    continue;
                }
                unused.remove(found);
                tensors.put(spec.name(), readOne(source, found, spec.shape(), manager));
            }
        } catch (IOException | RuntimeException e) {
            tensors.values().forEach(NDArray::close);
            throw e;
        }
        unused.removeIf(name -> layout.ignorable(config, name));
        if (!unused.isEmpty()) {
            LOG.warn("ignoring {} checkpoint tensors the {} model does not use: {}", unused.size(),
                    config.modelType(), unused);
        }
        return tensors;
    }

    private static String firstPresent(TensorSource source, List<String> candidates) {
        for (String candidate : candidates) {
            if (source.contains(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static NDArray readOne(TensorSource source, String name, Shape expected, NDManager manager)
            throws IOException {
        TensorEntry entry = source.entry(name);
        Shape actual = new Shape(entry.shape());
        if (!actual.equals(expected)) {
            throw new ModelCheckpointException(source.location(name), name, "shape " + actual
                    + " does not match the config, which needs " + expected);
        }
        checkFloat(entry.dtype(), source.location(name), name);
        ByteBuffer raw = source.read(name);
        ByteBuffer floats = FloatConversion.toFloat32(entry.dtype(), raw); // a view of raw for F32, else a new buffer
        // An array created from a direct buffer aliases the buffer's memory, and views of it would
        // outlive the buffer: copy into memory libtorch owns, then free the buffers at once.
        try (NDArray aliased = manager.create(floats, actual, DataType.FLOAT32)) {
            return aliased.duplicate();
        } finally {
            if (entry.dtype() != SafetensorsDtype.F32) {
                DirectBuffers.free(floats);
            }
            DirectBuffers.free(raw);
        }
    }

    private static void checkFloat(SafetensorsDtype dtype, String file, String name)
            throws ModelCheckpointException {
        switch (dtype) {
            case F32, F16, BF16, F64 -> { }
            default -> throw new ModelCheckpointException(file, name, "dtype " + dtype.headerName()
                    + " is not a floating-point weight type");
        }
    }
}
