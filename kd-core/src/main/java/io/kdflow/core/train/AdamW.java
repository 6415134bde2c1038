package io.kdflow.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.kdflow.core.model.Parameter;
import io.kdflow.core.model.nn.Autograd;
import java.util.ArrayList;
import java.util.List;

/**
 * AdamW with PyTorch's semantics ({@code torch.optim.AdamW}, no amsgrad): decoupled weight decay
 * p *= 1 - lr*wd, moments m = lerp(m, g, 1-beta1), v = beta2*v + (1-beta2)*g^2, and the update
 * p -= lr/(1-beta1^t) * m / (sqrt(v)/sqrt(1-beta2^t) + eps), epsilon added after bias correction
 * (DJL's own AdamW adds it before). Updates run in place, without autograd.
 */
public final class AdamW implements AutoCloseable {

    /** Hyper-parameters; the learning rate comes with each step (schedules change it). */
    public record Settings(double beta1, double beta2, double epsilon, double weightDecay) {

        /** Hugging Face Trainer's defaults: betas (0.9, 0.999), eps 1e-8, the given weight decay. */
        public static Settings defaults(double weightDecay) {
            return new Settings(0.9, 0.999, 1e-8, weightDecay);
        }
    }

    private final List<Parameter> parameters;
    private final Settings settings;
    private final NDManager state;
    private final List<NDArray> firstMoments = new ArrayList<>();
    private final List<NDArray> secondMoments = new ArrayList<>();
    private long steps;

    /** Optimises the trainable parameters among {@code parameters}; they start requiring gradients. */
    public AdamW(List<Parameter> parameters, Settings settings) {
        this.parameters = parameters.stream().filter(Parameter::trainable).toList();
        if (this.parameters.isEmpty()) {
            throw new IllegalArgumentException("no trainable parameters");
        }
        this.settings = settings;
        this.state = this.parameters.get(0).array().getManager().newSubManager();
        for (Parameter parameter : this.parameters) {
            parameter.array().setRequiresGradient(true);
            firstMoments.add(state.zeros(parameter.array().getShape()));
            secondMoments.add(state.zeros(parameter.array().getShape()));
        }
    }

    /** The optimised parameters (trainable ones only). */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** Optimizer steps taken so far. */
    public long steps() {
        return steps;
    }

    /** Applies one update with the accumulated gradients, then leaves them untouched (see {@link #zeroGradients}). */
    public void step(double learningRate) {
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
                m.addi(g.sub(m).muli(oneMinusBeta1)); // lerp(m, g, 1 - beta1)
                v.muli(beta2).addi(g.mul(g).muli(oneMinusBeta2));
                NDArray denominator = inTemp(v.sqrt(), temp).divi(sqrtCorrection2).addi(epsilon);
                p.addi(inTemp(m.div(denominator), temp).muli(negativeStepSize));
            }
        }
    }

    /** Clears the accumulated gradients (call after {@link #step}). */
    public void zeroGradients() {
        for (Parameter parameter : parameters) {
            Autograd.zeroGradient(parameter.array());
        }
    }

    /**
     * Scales gradients so their global L2 norm is at most {@code maxNorm}, as
     * {@code torch.nn.utils.clip_grad_norm_} does; returns the norm before clipping.
     */
    public double clipGradientNorm(double maxNorm) {
        try (Autograd.Scope noGrad = Autograd.disabled(); NDManager temp = state.newSubManager()) {
            List<NDArray> gradients = new ArrayList<>();
            double squares = 0;
            for (Parameter parameter : parameters) {
                NDArray g = parameter.array().getGradient();
                g.attach(temp);
                gradients.add(g);
                squares += g.square().sum().getFloat();
            }
            double norm = Math.sqrt(squares);
            double coefficient = maxNorm / (norm + 1e-6);
            if (coefficient < 1) {
                NDArray scale = temp.create((float) coefficient);
                gradients.forEach(g -> g.muli(scale));
            }
            return norm;
        }
    }

    private static NDArray inTemp(NDArray array, NDManager temp) {
        array.attach(temp);
        return array;
    }

    @Override
    public void close() {
        state.close();
    }
}
