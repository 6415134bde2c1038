package io.kdflow.core.model.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** /proc/cpuinfo texts of the CPUs kdflow was measured on (flags shortened), and what kernel choices make of them. */
class CpuInfoTest {

    private static final String ZEN4 = """
            processor\t: 0
            vendor_id\t: AuthenticAMD
            cpu family\t: 25
            model\t\t: 17
            model name\t: AMD EPYC
            flags\t\t: fpu sse2 avx2 fma avx512f avx512dq avx512bw avx512vl avx512_bf16 avx512_vnni

            processor\t: 1
            vendor_id\t: AuthenticAMD
            cpu family\t: 25
            """;
    private static final String ZEN5 = ZEN4.replace("cpu family\t: 25", "cpu family\t: 26");
    private static final String XEON = """
            processor\t: 0
            vendor_id\t: GenuineIntel
            cpu family\t: 6
            model\t\t: 143
            model name\t: Intel(R) Xeon(R) Platinum 8480+\s
            flags\t\t: fpu sse2 avx2 fma avx512f avx512bw amx_bf16 amx_tile amx_int8
            """;
    private static final String ZEN3 = """
            vendor_id\t: AuthenticAMD
            cpu family\t: 25
            model\t\t: 1
            flags\t\t: fpu sse2 avx2 fma
            """;

    @Test
    void shouldReadVendorFamilyModelNameAndFlagsOfTheFirstProcessor() {
        CpuInfo zen4 = CpuInfo.parse(ZEN4);
        assertThat(zen4.vendor()).isEqualTo("AuthenticAMD");
        assertThat(zen4.family()).isEqualTo(25);
        assertThat(zen4.modelName()).isEqualTo("AMD EPYC");
        assertThat(zen4.flags()).contains("avx512f", "avx512_bf16").doesNotContain("flags", ":").hasSize(10);
        assertThat(CpuInfo.parse(XEON)).isEqualTo(new CpuInfo("GenuineIntel", 6, "Intel(R) Xeon(R) Platinum 8480+",
                Set.of("fpu", "sse2", "avx2", "fma", "avx512f", "avx512bw", "amx_bf16", "amx_tile", "amx_int8")));
    }

    @Test
    void shouldKnowNothingOfATextWithoutTheFields() {
        assertThat(CpuInfo.parse("")).isEqualTo(CpuInfo.UNKNOWN);
        assertThat(CpuInfo.parse("Processor : ARMv8\nFeatures : fp asimd\n")).isEqualTo(CpuInfo.UNKNOWN);
        assertThat(CpuInfo.UNKNOWN.hasBf16()).isFalse();
        assertThat(CpuInfo.UNKNOWN.amdWithFullWidthAvx512()).isFalse();
    }

    @Test
    void shouldFindABfloat16DotProductInAvx512OrAmx() {
        assertThat(CpuInfo.parse(ZEN4).hasBf16()).as("avx512_bf16").isTrue();
        assertThat(CpuInfo.parse(XEON).hasBf16()).as("amx_bf16").isTrue();
        assertThat(CpuInfo.parse(ZEN3).hasBf16()).isFalse();
    }

    @Test
    void shouldTrainOnOneDnnOnlyWhereAvx512RunsAtFullWidthOnAmd() {
        assertThat(OneDnnLinear.trainsOnOneDnn(CpuInfo.parse(ZEN5))).as("Zen 5").isTrue();
        assertThat(OneDnnLinear.trainsOnOneDnn(CpuInfo.parse(ZEN4))).as("Zen 4: AVX-512 in two halves").isFalse();
        assertThat(OneDnnLinear.trainsOnOneDnn(CpuInfo.parse(ZEN3))).as("Zen 3: no AVX-512").isFalse();
        assertThat(OneDnnLinear.trainsOnOneDnn(CpuInfo.parse(XEON))).as("Intel: MKL runs AVX-512 itself").isFalse();
        assertThat(OneDnnLinear.trainsOnOneDnn(CpuInfo.parse(ZEN5.replace(" avx512f", ""))))
                .as("a family-26 guest without AVX-512 exposed").isFalse();
        assertThat(OneDnnLinear.trainsOnOneDnn(CpuInfo.UNKNOWN)).isFalse();
    }
}
