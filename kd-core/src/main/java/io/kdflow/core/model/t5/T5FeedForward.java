package io.kdflow.core.model.t5;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.kdflow.core.model.config.ActivationFunction;
import io.kdflow.core.model.nn.Activations;
import io.kdflow.core.model.nn.Dropout;
import io.kdflow.core.model.nn.Linear;
import io.kdflow.core.model.nn.RunMode;
import io.kdflow.core.model.nn.Scalars;

/**
 * T5's feed-forward: wo(dropout(act(wi x))) (v1.0), or gated wo(dropout(act(wi_0 x) * wi_1 x)) (v1.1)
 * with wi_0 and wi_1 fused into one projection.
 */
record T5FeedForward(Linear wi, Linear wo, boolean gated, ActivationFunction activation,
        double dropout, Scalars scalars) {

    NDArray apply(NDArray x, RunMode mode) {
        NDArray hidden;
        if (gated) {
            NDArray projected = wi.apply(x); // (..., 2F)
            NDList parts = projected.split(2, projected.getShape().dimension() - 1); // (..., F) each
            hidden = Activations.apply(activation, parts.get(0), scalars).mul(parts.get(1));
        } else {
            hidden = Activations.apply(activation, wi.apply(x), scalars);
        }
        return wo.apply(Dropout.apply(hidden, dropout, mode));
    }
}
