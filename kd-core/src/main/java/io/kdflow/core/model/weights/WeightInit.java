package io.kdflow.core.model.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** How {@code transformers}' {@code _init_weights} fills a fresh tensor. */
public sealed interface WeightInit {

    NDArray create(NDManager manager, Shape shape);

    /** N(0, std^2). */
    record Normal(double std) implements WeightInit {
        @Override
        public NDArray create(NDManager manager, Shape shape) {
            return manager.randomNormal(0f, (float) std, shape, DataType.FLOAT32);
        }
    }

    /** N(0, std^2) with one row zeroed (an embedding's padding_idx). */
    record NormalZeroRow(double std, int row) implements WeightInit {
        @Override
        public NDArray create(NDManager manager, Shape shape) {
            NDArray weight = manager.randomNormal(0f, (float) std, shape, DataType.FLOAT32);
            weight.set(new NDIndex("{}", row), 0f);
            return weight;
        }
    }

    /** A constant (0 for biases, 1 for norm weights). */
    record Constant(float value) implements WeightInit {
        @Override
        public NDArray create(NDManager manager, Shape shape) {
            return manager.full(shape, value, DataType.FLOAT32);
        }
    }

    WeightInit ZEROS = new Constant(0f);
    WeightInit ONES = new Constant(1f);
}
