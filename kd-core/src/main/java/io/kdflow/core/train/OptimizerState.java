package io.kdflow.core.train;

import ai.djl.ndarray.NDArray;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.model.Parameter;
import io.kdflow.core.model.weights.TensorBytes;
import io.kdflow.core.safetensors.SafetensorsDtype;
import io.kdflow.core.safetensors.SafetensorsFile;
import io.kdflow.core.safetensors.SafetensorsWriter;
import io.kdflow.core.safetensors.TensorData;
import io.kdflow.core.safetensors.TensorEntry;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW's state in a checkpoint: {@code optimizer.safetensors} holds {@code <parameter>.exp_avg} and
 * {@code <parameter>.exp_avg_sq} (PyTorch's names) for every optimised parameter, float32, and the step
 * count in the metadata.
 */
final class OptimizerState {

    static final String FILE = "optimizer.safetensors";
    private static final String STEP = "step";

    private OptimizerState() {}

    static void save(AdamW optimizer, Path directory) throws IOException {
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        List<Parameter> parameters = optimizer.parameters();
        for (int i = 0; i < parameters.size(); i++) {
            String name = parameters.get(i).name();
            tensors.put(name + ".exp_avg", TensorBytes.float32(optimizer.firstMoments().get(i)));
            tensors.put(name + ".exp_avg_sq", TensorBytes.float32(optimizer.secondMoments().get(i)));
        }
        SafetensorsWriter.write(directory.resolve(FILE), tensors, Map.of(STEP, Long.toString(optimizer.steps())));
    }

    static void load(AdamW optimizer, Path directory) throws IOException {
        Path file = directory.resolve(FILE);
        try (SafetensorsFile in = SafetensorsFile.open(file)) {
            List<Parameter> parameters = optimizer.parameters();
            for (int i = 0; i < parameters.size(); i++) {
                read(in, parameters.get(i).name() + ".exp_avg", optimizer.firstMoments().get(i));
                read(in, parameters.get(i).name() + ".exp_avg_sq", optimizer.secondMoments().get(i));
            }
            String step = in.metadata().get(STEP);
            if (step == null || !step.matches("[0-9]{1,18}")) {
                throw new BadInputException(file + ": metadata '" + STEP + "' must be a step count, got " + step);
            }
            optimizer.restoreSteps(Long.parseLong(step));
        }
    }

    private static void read(SafetensorsFile in, String name, NDArray moment) throws IOException {
        if (!in.names().contains(name)) {
            throw new BadInputException(in.path() + ": optimizer state of '" + name + "' is missing");
        }
        TensorEntry entry = in.entry(name);
        if (entry.dtype() != SafetensorsDtype.F32 || !Arrays.equals(entry.shape(), moment.getShape().getShape())) {
            throw new BadInputException(in.path() + ": '" + name + "' is " + entry.dtype() + " "
                    + Arrays.toString(entry.shape()) + ", expected F32 " + moment.getShape());
        }
        FloatBuffer values = in.read(name).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] data = new float[values.remaining()];
        values.get(data);
        moment.set(data);
    }
}
