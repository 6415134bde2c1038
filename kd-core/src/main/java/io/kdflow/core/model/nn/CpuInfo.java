package io.kdflow.core.model.nn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What {@code /proc/cpuinfo} says of the CPU: vendor, family and feature flags, where a kernel choice depends on them,
 * and the model name that reports print (of the first processor; a guest's are all alike). Read once. Where it cannot
 * be read (not Linux) it is {@link #UNKNOWN}, for which every choice takes its conservative side.
 */
public record CpuInfo(String vendor, int family, String modelName, Set<String> flags) {

    static final CpuInfo UNKNOWN = new CpuInfo("unknown", -1, "unknown", Set.of());
    /** AMD's family of Zen 5: the first AMD cores that run AVX-512 at full width (Zen 4 splits it in two halves). */
    static final int AMD_ZEN5_FAMILY = 0x1A;

    private static final Pattern VENDOR = Pattern.compile("(?m)^vendor_id\\s*:\\s*(\\S+)");
    private static final Pattern FAMILY = Pattern.compile("(?m)^cpu family\\s*:\\s*(\\d+)");
    private static final Pattern MODEL_NAME = Pattern.compile("(?m)^model name\\s*:(.*)$");
    private static final Pattern FLAGS = Pattern.compile("(?m)^flags\\s*:(.*)$");
    private static volatile CpuInfo current;

    /** This machine's CPU. */
    public static CpuInfo current() {
        CpuInfo known = current;
        if (known == null) {
            try {
                known = parse(Files.readString(Path.of("/proc/cpuinfo")));
            } catch (IOException | RuntimeException e) {
                known = UNKNOWN;
            }
            current = known;
        }
        return known;
    }

    /** The first processor of a {@code /proc/cpuinfo} text; fields it lacks stay unknown. */
    static CpuInfo parse(String cpuinfo) {
        Matcher vendor = VENDOR.matcher(cpuinfo);
        Matcher family = FAMILY.matcher(cpuinfo);
        Matcher modelName = MODEL_NAME.matcher(cpuinfo);
        Matcher flags = FLAGS.matcher(cpuinfo);
        return new CpuInfo(vendor.find() ? vendor.group(1) : UNKNOWN.vendor(),
                family.find() ? Integer.parseInt(family.group(1)) : UNKNOWN.family(),
                modelName.find() ? modelName.group(1).trim() : UNKNOWN.modelName(),
                flags.find() ? Arrays.stream(flags.group(1).trim().split("\\s+"))
                        .collect(Collectors.toUnmodifiableSet()) : Set.of());
    }

    /** Whether the CPU has a bfloat16 dot-product instruction (AVX512_BF16 or AMX-BF16). */
    boolean hasBf16() {
        return flags.contains("avx512_bf16") || flags.contains("amx_bf16");
    }

    /**
     * An AMD CPU whose AVX-512 runs at full width (Zen 5 on): oneDNN's float32 products use it, while MKL's sgemm runs
     * its AVX2 kernels on AMD, so oneDNN is about twice as fast there; on Zen 4 the two reach the same peak.
     */
    boolean amdWithFullWidthAvx512() {
        return "AuthenticAMD".equals(vendor) && family >= AMD_ZEN5_FAMILY && flags.contains("avx512f");
    }

    @Override
    public String toString() {
        return vendor + " family " + family;
    }
}
