package io.kdflow.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.kdflow.core.model.Parameter;
import io.kdflow.core.model.nn.Autograd;
import java.util.ArrayList;
import java.util.List;

/**
 * Reference for {@link AdamW}: {@code torch.optim.AdamW}'s single-tensor step written as libtorch
 * operations, one per line of the PyTorch source (this was the optimizer's own implementation before
 * the update moved into one Java pass).
 */
final class LibtorchOpsAdamW implements AutoCloseable {

    private final List<Parameter> parameters;
    private final AdamW.Settings settings;
    private final NDManager state;
    private final List<NDArray> firstMoments = new ArrayList<>();
    private final List<NDArray> secondMoments = new ArrayList<>();
    private long steps;

    LibtorchOpsAdamW(List<Parameter> parameters, AdamW.Settings settings) {
        this.parameters = parameters.stream().filter(Parameter::trainable).toList();
        this.settings = settings;
        this.state = this.parameters.get(0).array().getManager().newSubManager();
        for (Parameter parameter : this.parameters) {
            parameter.array().setRequiresGradient(true);
            firstMoments.add(state.zeros(parameter.array().getShape()));
            secondMoments.add(state.zeros(parameter.array().getShape()));
        }
    }

    void step(double learningRate) {
        steps++;
        double correction1 = 1 - Math.pow(settings.beta1(), steps);
        double correction2 = 1 - Math.pow(settings.beta2(), steps);
        try (Autograd.Scope noGrad = Autograd.disabled(); NDManager temp = state.newSubManager()) {
            NDArray decay = temp.create((float) (1 - learningRate * settings.weightDecay()));
            NDArray oneMinusBeta1 = temp.create((float) (1 - settings.beta1()));
            NDArray beta2 = temp.create((float) settings.beta2());
            NDArray oneMinusBeta2 = temp.create((float) (1 - settings.beta2()));
            NDArray sqrtCorrection2 = temp.create((float) Math.sqrt(correction2));
            NDArray epsilon = temp.create((float) settings.epsilon());
            NDArray negativeStepSize = temp.create((float) (-learningRate / correction1));
            for (int i = 0; i < parameters.size(); i++) {
                Parameter parameter = parameters.get(i);
                NDArray p = parameter.array();
                NDArray m = firstMoments.get(i);
                NDArray v = secondMoments.get(i);
                NDArray g = p.getGradient();
                g.attach(temp);
                if (parameter.weightDecay() && settings.weightDecay() != 0) {
                    p.muli(decay);
                }
                m.addi(attach(g.sub(m), temp).muli(oneMinusBeta1));
                v.muli(beta2).addi(attach(g.mul(oneMinusBeta2), temp).muli(g));
                NDArray denominator = attach(v.sqrt(), temp).divi(sqrtCorrection2).addi(epsilon);
                p.addi(attach(m.mul(negativeStepSize), temp).divi(denominator));
            }
        }
    }

    private static NDArray attach(NDArray array, NDManager manager) {
        array.attach(manager);
        return array;
    }

    @Override
    public void close() {
        state.close();
    }
}
