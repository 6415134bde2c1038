package io.kdflow.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.kdflow.core.model.Parameter;
import io.kdflow.core.model.nn.Autograd;
import io.kdflow.core.model.nn.DenormalFlush;
import io.kdflow.core.model.nn.PackedWeights;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;

/**
 * AdamW with PyTorch's semantics ({@code torch.optim.AdamW}, no amsgrad): decoupled weight decay
 * p *= 1 - lr*wd, moments m = lerp(m, g, 1-beta1), v = beta2*v + (1-beta2)*g^2, and the update
 * p -= lr/(1-beta1^t) * m / (sqrt(v)/sqrt(1-beta2^t) + eps), epsilon added after bias correction
 * (DJL's own AdamW adds it before).
 *
 * <p>The update runs in place, one pass over the memory of parameters, gradients and moments: libtorch's fused
 * AdamW kernel ({@link FusedAdamW}, what {@code torch.optim.AdamW(fused=True)} runs) where libtorch has it, else a
 * Java pass ({@link AdamWKernel}) split over as many threads as libtorch's intra-op pool. libtorch's separate
 * operations would make about a dozen passes (one per operation) over the same memory.
 */
public final class AdamW implements AutoCloseable {

    /** Hyper-parameters; the learning rate comes with each step (schedules change it). */
    public record Settings(double beta1, double beta2, double epsilon, double weightDecay) {

        /** Hugging Face Trainer's defaults: betas (0.9, 0.999), eps 1e-8, the given weight decay. */
        public static Settings defaults(double weightDecay) {
            return new Settings(0.9, 0.999, 1e-8, weightDecay);
        }
    }

    /** Elements per unit of work: four arrays of this many floats stay in a core's L2 cache. */
    static final int CHUNK = 16_384;

    private final List<Parameter> parameters;
    private final Settings settings;
    private final NDManager state;
    private final List<NDArray> firstMoments = new ArrayList<>();
    private final List<NDArray> secondMoments = new ArrayList<>();
    private final long[] sizes;
    private final int threads;
    private final boolean javaPass;
    private final ForkJoinPool pool; // null when single-threaded or fused
    private long steps;

    /** Optimises the trainable parameters among {@code parameters} with libtorch's intra-op thread count. */
    public AdamW(List<Parameter> parameters, Settings settings) {
        this(parameters, settings, JniUtils.getNumThreads());
    }

    /**
     * Optimises the trainable parameters among {@code parameters}; they start requiring gradients.
     *
     * @param threads threads of the Java pass (1 = the calling thread only); the fused kernel runs on libtorch's
     *     intra-op threads
     */
    public AdamW(List<Parameter> parameters, Settings settings, int threads) {
        this(parameters, settings, threads, false);
    }

    /** As {@link #AdamW(List, Settings, int)}; {@code javaPass} updates in Java even where the fused kernel runs. */
    AdamW(List<Parameter> parameters, Settings settings, int threads, boolean javaPass) {
        this.javaPass = javaPass || !FusedAdamW.available();
        this.parameters = parameters.stream().filter(Parameter::trainable).toList();
        if (this.parameters.isEmpty()) {
            throw new IllegalArgumentException("no trainable parameters");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("AdamW threads must be >= 1, got " + threads);
        }
        this.settings = settings;
        this.threads = threads;
        this.state = this.parameters.get(0).array().getManager().newSubManager();
        this.sizes = new long[this.parameters.size()];
        for (int i = 0; i < sizes.length; i++) {
            Parameter parameter = this.parameters.get(i);
            HostFloats.requireWritable(parameter.array(), parameter.name());
            parameter.array().setRequiresGradient(true);
            firstMoments.add(state.zeros(parameter.array().getShape()));
            secondMoments.add(state.zeros(parameter.array().getShape()));
            sizes[i] = parameter.array().size();
        }
        this.pool = this.javaPass && threads > 1 ? new ForkJoinPool(threads) : null;
    }

    /** The optimised parameters (trainable ones only). */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** Optimizer steps taken so far. */
    public long steps() {
        return steps;
    }

    /** Moments m of each optimised parameter, in {@link #parameters} order (for checkpoints). */
    List<NDArray> firstMoments() {
        return firstMoments;
    }

    /** Moments v of each optimised parameter, in {@link #parameters} order (for checkpoints). */
    List<NDArray> secondMoments() {
        return secondMoments;
    }

    /** Sets the step count of a resumed run (the bias corrections depend on it). */
    void restoreSteps(long steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        }
        this.steps = steps;
    }

    /** Applies one update with the accumulated gradients, then leaves them untouched (see {@link #zeroGradients}). */
    public void step(double learningRate) {
        steps++;
        if (javaPass) {
            javaStep(learningRate);
        } else {
            fusedStep(learningRate);
        }
        for (Parameter parameter : parameters) {
            PackedWeights.invalidate(parameter.array()); // its inference copy holds the old values
        }
    }

    /** Whether updates run in Java rather than in libtorch's fused kernel. */
    boolean javaPass() {
        return javaPass;
    }

    /** The fused kernel, once for the parameters with weight decay and once for those without. */
    private void fusedStep(double learningRate) {
        try (Autograd.Scope noGrad = Autograd.disabled(); NDManager temp = state.newSubManager()) {
            for (boolean decaying : new boolean[] {true, false}) {
                List<NDArray> group = new ArrayList<>();
                List<NDArray> gradients = new ArrayList<>();
                List<NDArray> first = new ArrayList<>();
                List<NDArray> second = new ArrayList<>();
                for (int i = 0; i < parameters.size(); i++) {
                    Parameter parameter = parameters.get(i);
                    if (decays(parameter) != decaying) {
                        continue;
                    }
                    NDArray gradient = parameter.array().getGradient();
                    gradient.attach(temp);
                    group.add(parameter.array());
                    gradients.add(gradient);
                    first.add(firstMoments.get(i));
                    second.add(secondMoments.get(i));
                }
                if (!group.isEmpty()) {
                    FusedAdamW.update(group, gradients, first, second, learningRate, settings,
                            decaying ? settings.weightDecay() : 0, steps);
                }
            }
        }
    }

    private void javaStep(double learningRate) {
        double correction1 = 1 - Math.pow(settings.beta1(), steps);
        double correction2 = 1 - Math.pow(settings.beta2(), steps);
        float decay = (float) (1 - learningRate * settings.weightDecay());
        AdamWKernel decaying = new AdamWKernel(decay, (float) (1 - settings.beta1()), (float) settings.beta2(),
                (float) (1 - settings.beta2()), (float) Math.sqrt(correction2), (float) settings.epsilon(),
                (float) (-learningRate / correction1));
        AdamWKernel plain = new AdamWKernel(1f, decaying.oneMinusBeta1(), decaying.beta2(), decaying.oneMinusBeta2(),
                decaying.sqrtCorrection2(), decaying.epsilon(), decaying.negativeStepSize());
        try (Autograd.Scope noGrad = Autograd.disabled(); NDManager temp = state.newSubManager()) {
            int count = parameters.size();
            FloatBuffer[][] memory = new FloatBuffer[count][];
            AdamWKernel[] kernels = new AdamWKernel[count];
            for (int i = 0; i < count; i++) {
                Parameter parameter = parameters.get(i);
                NDArray gradient = parameter.array().getGradient();
                gradient.attach(temp);
                memory[i] = new FloatBuffer[] {HostFloats.of(parameter.array()), HostFloats.of(gradient),
                    HostFloats.of(firstMoments.get(i)), HostFloats.of(secondMoments.get(i))};
                kernels[i] = decays(parameter) ? decaying : plain;
            }
            runSlices(slice -> updateSlice(slice, memory, kernels));
        }
    }

    /** Whether the update decays this parameter (biases and norms are exempt, and nothing decays at weight decay 0). */
    private boolean decays(Parameter parameter) {
        return parameter.weightDecay() && settings.weightDecay() != 0;
    }

    /** Names of the parameters whose accumulated gradient holds a NaN or an infinity (a diverged step). */
    public List<String> nonFiniteGradients() {
        List<String> names = new ArrayList<>();
        try (Autograd.Scope noGrad = Autograd.disabled(); NDManager temp = state.newSubManager()) {
            for (Parameter parameter : parameters) {
                NDArray g = parameter.array().getGradient();
                g.attach(temp);
                if (!Float.isFinite(g.abs().sum().getFloat())) {
                    names.add(parameter.name());
                }
            }
        }
        return names;
    }

    /** Clears the accumulated gradients (call after {@link #step}). */
    public void zeroGradients() {
        for (Parameter parameter : parameters) {
            Autograd.zeroGradient(parameter.array());
        }
    }

    /**
     * Scales gradients so their global L2 norm is at most {@code maxNorm} with {@code torch.nn.utils.clip_grad_norm_}'s
     * arithmetic (per-tensor norms, their norm, the coefficient reciprocal(norm + 1e-6) * max in float32, applied when
     * below 1); returns the norm before clipping.
     */
    public double clipGradientNorm(double maxNorm) {
        try (Autograd.Scope noGrad = Autograd.disabled(); NDManager temp = state.newSubManager()) {
            List<NDArray> gradients = new ArrayList<>();
            NDList norms = new NDList();
            for (Parameter parameter : parameters) {
                NDArray g = parameter.array().getGradient();
                g.attach(temp);
                gradients.add(g);
                norms.add(g.flatten().norm()); // linalg_vector_norm, what torch's _foreach_norm runs on a CPU
            }
            NDArray total = NDArrays.stack(norms).norm();
            // torch writes max_norm / (total + 1e-6), which is Tensor.__rdiv__: reciprocal, then multiply
            NDArray coefficient = temp.create(1f).div(total.add(temp.create(1e-6f))).mul(temp.create((float) maxNorm));
            if (coefficient.getFloat() < 1) {
                gradients.forEach(g -> g.muli(coefficient));
            }
            return total.getFloat();
        }
    }

    /** Work on elements [from, to) of the concatenation of all parameters. */
    private record Slice(long from, long to) {}

    @FunctionalInterface
    private interface SliceWork {
        void run(Slice slice);
    }

    /** Splits all parameter elements into equal slices, one per thread, and waits for them. */
    private void runSlices(SliceWork work) {
        long total = 0;
        for (long size : sizes) {
            total += size;
        }
        if (pool == null) {
            work.run(new Slice(0, total));
            return;
        }
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Slice slice = new Slice(total * t / threads, total * (t + 1) / threads);
            tasks.add(() -> {
                work.run(slice);
                return null;
            });
        }
        for (Future<Void> done : pool.invokeAll(tasks)) {
            try {
                done.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("AdamW update interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("AdamW update failed", e.getCause());
            }
        }
    }

    private void updateSlice(Slice slice, FloatBuffer[][] memory, AdamWKernel[] kernels) {
        DenormalFlush.ensureEnabled(); // the same flush-to-zero arithmetic as libtorch's threads
        float[][] scratch = new float[4][CHUNK];
        long start = 0;
        for (int i = 0; i < sizes.length; i++) {
            long end = start + sizes[i];
            long from = Math.max(slice.from(), start);
            long to = Math.min(slice.to(), end);
            for (long offset = from; offset < to; offset += CHUNK) {
                int index = (int) (offset - start);
                int length = (int) Math.min(CHUNK, to - offset);
                updateChunk(memory[i], kernels[i], index, length, scratch);
            }
            start = end;
        }
    }

    private static void updateChunk(FloatBuffer[] memory, AdamWKernel kernel, int index, int length,
            float[][] scratch) {
        for (int k = 0; k < 4; k++) {
            memory[k].get(index, scratch[k], 0, length);
        }
        kernel.update(scratch[0], scratch[1], scratch[2], scratch[3], length);
        memory[0].put(index, scratch[0], 0, length);
        memory[2].put(index, scratch[2], 0, length);
        memory[3].put(index, scratch[3], 0, length);
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdown();
        }
        state.close();
    }
}
