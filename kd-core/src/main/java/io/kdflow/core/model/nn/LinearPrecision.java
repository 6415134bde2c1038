package io.kdflow.core.model.nn;

import io.kdflow.core.error.BadInputException;
import java.util.Locale;

/**
 * The precision of the linear layers' products on oneDNN: float32 (the default, the model's own), or bfloat16 as an
 * explicit choice ({@code -Dkdflow.linear-precision} or {@code KDFLOW_LINEAR_PRECISION}, read at every product). In
 * bfloat16 the input and the weight are rounded to 8 significant bits, oneDNN sums in float32 and the output comes
 * back as float32, the bias added in float32: about twice the products' speed on CPUs with AVX512_BF16 or AMX
 * (measured on a Zen 5 core: 420-530 against 230-270 GFLOP/s without gradients). It covers training too, as mixed
 * precision: the forward and backward products run in bfloat16, while parameters, gradients and the optimizer stay
 * float32. Attention's batched products over whole sequences follow the same switch ({@link AttentionProduct}). The
 * cost in accuracy is measured in docs/performance.md ("bfloat16 products", "bfloat16 training").
 */
public enum LinearPrecision {
    FLOAT32,
    BFLOAT16;

    public static final String PROPERTY = "kdflow.linear-precision";
    static final String ENV = "KDFLOW_LINEAR_PRECISION";
    private static final String FROM_ENVIRONMENT = System.getenv(ENV);

    /** The precision asked for now (property, else environment, else float32). */
    public static LinearPrecision current() {
        LinearPrecision precision = parse(System.getProperty(PROPERTY, FROM_ENVIRONMENT));
        if (precision == BFLOAT16 && !cpuHasBf16()) {
            throw new BadInputException(PROPERTY + " (or " + ENV + ") is bfloat16, but this CPU has neither AVX512_BF16"
                    + " nor AMX-BF16 (the flags avx512_bf16 / amx_bf16 of /proc/cpuinfo): oneDNN would emulate the"
                    + " products, slower than float32; leave it at float32");
        }
        return precision;
    }

    static LinearPrecision parse(String value) {
        if (value == null || value.isBlank()) {
            return FLOAT32;
        }
        String name = value.strip().toLowerCase(Locale.ROOT);
        return switch (name) {
            case "float32", "fp32" -> FLOAT32;
            case "bfloat16", "bf16" -> BFLOAT16;
            default -> throw new BadInputException(PROPERTY + " (or " + ENV + ") is '" + value
                    + "': expected float32 (the default) or bfloat16");
        };
    }

    static boolean cpuHasBf16() {
        return CpuInfo.current().hasBf16();
    }
}
