package io.kdflow.core.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The FLOPs formulas against counts written out by hand for configs small enough to check on paper. */
class FlopsCounterTest {

    @Test
    void shouldMatchAHandCountForBart() {
        ForwardFlops flops = FlopsCounter.forward(TinyConfigs.bart(), 3, 2); // S = 3, T = 2, d = 8

        // Encoder, 1 layer over S = 3 positions.
        long encoderProjections = 4 * (3 * 8 * 8);       // q, k, v, out: 768
        long encoderScores = 3 * 3 * 8;                  // QK^T summed over heads: 72
        long encoderValues = 3 * 3 * 8;                  // AV: 72
        long encoderFfn = 3 * 8 * 16 + 3 * 16 * 8;       // fc1 + fc2: 768
        // Decoder, 2 layers over T = 2 positions, cross-attending to S = 3.
        long selfProjections = 2 * 4 * (2 * 8 * 8);      // 1024
        long selfScores = 2 * (2 * 2 * 8);               // 64
        long selfValues = 2 * (2 * 2 * 8);               // 64
        long crossProjections = 2 * (2 * 8 * 8 + 2 * 8 * 8 + 3 * 8 * 8 + 3 * 8 * 8); // q, out on T; k, v on S: 1280
        long crossScores = 2 * (2 * 3 * 8);              // 96
        long crossValues = 2 * (2 * 3 * 8);              // 96
        long decoderFfn = 2 * (2 * 8 * 16 + 2 * 16 * 8); // 1024
        long lmHead = 2 * 8 * 50;                        // 800
        long total = encoderProjections + encoderScores + encoderValues + encoderFfn + selfProjections + selfScores
                + selfValues + crossProjections + crossScores + crossValues + decoderFfn + lmHead;

        assertThat(total).isEqualTo(6128);
        assertThat(flops.macs()).isEqualTo(total);
        assertThat(flops.flops()).isEqualTo(2 * total);
        assertThat(flops.macsByTerm()).containsExactly(
                Map.entry("encoder.self_attention.projections", encoderProjections),
                Map.entry("encoder.self_attention.scores", encoderScores),
                Map.entry("encoder.self_attention.values", encoderValues),
                Map.entry("encoder.ffn", encoderFfn),
                Map.entry("decoder.self_attention.projections", selfProjections),
                Map.entry("decoder.self_attention.scores", selfScores),
                Map.entry("decoder.self_attention.values", selfValues),
                Map.entry("decoder.cross_attention.projections", crossProjections),
                Map.entry("decoder.cross_attention.scores", crossScores),
                Map.entry("decoder.cross_attention.values", crossValues),
                Map.entry("decoder.ffn", decoderFfn),
                Map.entry("lm_head", lmHead));
    }

    @Test
    void shouldMatchAHandCountForGatedT5WithNarrowHeads() {
        ForwardFlops flops = FlopsCounter.forward(TinyConfigs.t5v11(), 4, 3); // d 8, inner 2 x 3 = 6, d_ff 10

        long encoder = 4 * (4 * 8 * 6)                   // q, k, v, o: 768
                + 4 * 4 * 6 + 4 * 4 * 6                  // scores, values: 192
                + 3 * (4 * 8 * 10);                      // wi_0, wi_1, wo: 960
        long decoder = 4 * (3 * 8 * 6)                   // self q, k, v, o: 576
                + 3 * 3 * 6 + 3 * 3 * 6                  // self scores, values: 108
                + 2 * (3 * 8 * 6) + 2 * (4 * 8 * 6)      // cross q, o on T; k, v on S: 672
                + 3 * 4 * 6 + 3 * 4 * 6                  // cross scores, values: 144
                + 3 * (3 * 8 * 10);                      // gated FFN: 720
        long lmHead = 3 * 8 * 40;                        // 960

        assertThat(encoder + decoder + lmHead).isEqualTo(5100);
        assertThat(flops.macs()).isEqualTo(5100);
        assertThat(flops.macsByTerm()).containsEntry("encoder.ffn", 960L).containsEntry("decoder.ffn", 720L)
                .containsEntry("decoder.cross_attention.projections", 672L);
    }

    @Test
    void shouldRunDecoderOnlyModelsOnTheConcatenation() {
        ForwardFlops flops = FlopsCounter.forward(TinyConfigs.gpt2(), 3, 2); // N = S + T = 5, e = 8

        long perLayer = 5 * 8 * 24 + 5 * 8 * 8           // c_attn (3e), c_proj: 1280
                + 5 * 5 * 8 + 5 * 5 * 8                  // full masked scores, values: 400
                + 5 * 8 * 32 + 5 * 32 * 8;               // c_fc, mlp c_proj: 2560
        long lmHead = 5 * 8 * 30;                        // 1200

        assertThat(flops.macs()).isEqualTo(2 * perLayer + lmHead).isEqualTo(9680);
        assertThat(flops.macsByTerm()).doesNotContainKeys("encoder.ffn", "decoder.cross_attention.scores");
        assertThat(FlopsCounter.forward(TinyConfigs.gpt2(), 4, 1).macs())
                .as("only S + T matters for a decoder-only model").isEqualTo(flops.macs());
    }

    @Test
    void shouldChangeExactlyTheTargetTermsWhenTheTargetDoubles() {
        Map<String, Long> base = FlopsCounter.forward(TinyConfigs.bart(), 3, 2).macsByTerm();
        Map<String, Long> doubled = FlopsCounter.forward(TinyConfigs.bart(), 3, 4).macsByTerm();

        for (String encoderTerm : new String[] {"encoder.self_attention.projections", "encoder.self_attention.scores",
                "encoder.self_attention.values", "encoder.ffn"}) {
            assertThat(doubled.get(encoderTerm)).as(encoderTerm).isEqualTo(base.get(encoderTerm));
        }
        for (String linearInT : new String[] {"decoder.self_attention.projections", "decoder.cross_attention.scores",
                "decoder.cross_attention.values", "decoder.ffn", "lm_head"}) {
            assertThat(doubled.get(linearInT)).as(linearInT).isEqualTo(2 * base.get(linearInT));
        }
        for (String quadraticInT : new String[] {"decoder.self_attention.scores", "decoder.self_attention.values"}) {
            assertThat(doubled.get(quadraticInT)).as(quadraticInT).isEqualTo(4 * base.get(quadraticInT));
        }
        // Cross-attention q/out grow with T, k/v stay on the S source positions: 2 layers x (2T + 2S) x d x d.
        assertThat(base.get("decoder.cross_attention.projections")).isEqualTo(2L * (2 * 2 + 2 * 3) * 8 * 8);
        assertThat(doubled.get("decoder.cross_attention.projections")).isEqualTo(2L * (2 * 4 + 2 * 3) * 8 * 8);
    }

    @Test
    void shouldRejectEmptyLengths() {
        assertThatThrownBy(() -> FlopsCounter.forward(TinyConfigs.bart(), 0, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("S=0");
        assertThatThrownBy(() -> FlopsCounter.forward(TinyConfigs.gpt2(), 3, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("T=0");
    }
}
