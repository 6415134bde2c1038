package io.kdflow.core.model.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** Activation functions by their {@code transformers} names ({@code ACT2FN}). */
public enum ActivationFunction {
    /** Exact GELU, x * Phi(x) with erf: {@code "gelu"}. */
    GELU("gelu"),
    /** GELU with the tanh approximation: {@code "gelu_new"} (GPT-2, T5 v1.1) and {@code "gelu_pytorch_tanh"}. */
    GELU_TANH("gelu_new", "gelu_pytorch_tanh"),
    /** {@code "gelu_fast"}: 0.5 x (1 + tanh(0.7978845608 x (1 + 0.044715 x^2))). */
    GELU_FAST("gelu_fast"),
    /** {@code "quick_gelu"}: x * sigmoid(1.702 x). */
    QUICK_GELU("quick_gelu"),
    RELU("relu"),
    /** {@code "silu"} / {@code "swish"}: x * sigmoid(x). */
    SILU("silu", "swish"),
    TANH("tanh");

    private final String[] hfNames;

    ActivationFunction(String... hfNames) {
        this.hfNames = hfNames;
    }

    /** The name written back into config files. */
    public String hfName() {
        return hfNames[0];
    }

    public static Optional<ActivationFunction> fromHfName(String name) {
        String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
        for (ActivationFunction function : values()) {
            if (Arrays.asList(function.hfNames).contains(lower)) {
                return Optional.of(function);
            }
        }
        return Optional.empty();
    }

    static String supportedNames() {
        return Arrays.stream(values()).flatMap(f -> Arrays.stream(f.hfNames)).collect(Collectors.joining(", "));
    }
}
