package io.kdflow.core.decoding;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdflow.core.model.config.GenerationConfig.EarlyStopping;
import io.kdflow.core.wire.proto.DecodingSettings;
import io.kdflow.core.wire.proto.DecodingSettings.Strategy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Generation settings to the wire's DecodingSettings and back. */
class DecodingSettingsMappingTest {

    private static final GenerationSettings GREEDY = new GenerationSettings(20, 0, 1, 1.0, EarlyStopping.FALSE, 1,
            false, 1.0, 50, 1.0, 0L, 1, 0);
    private static final GenerationSettings BEAM = new GenerationSettings(64, 0, 4, 1.5, EarlyStopping.TRUE, 2, false,
            1.0, 50, 1.0, 0L, 1, 0);
    private static final GenerationSettings SAMPLING = new GenerationSettings(48, 0, 1, 1.0, EarlyStopping.FALSE, 1,
            true, 0.7, 40, 0.9, 0L, 8, 0);

    @Test
    void shouldWriteEveryWireField() {
        DecodingSettings wire = DecodingSettingsMapping.toWire(SAMPLING);

        assertThat(wire).isEqualTo(DecodingSettings.newBuilder().setStrategy(Strategy.SAMPLING).setNumBeams(1)
                .setTemperature(0.7f).setTopK(40).setTopP(0.9f).setMaxNewTokens(48).setLengthPenalty(1.0f)
                .setEarlyStopping(false).setNumReturnSequences(8).build());
        assertThat(DecodingSettingsMapping.toWire(BEAM).getStrategy()).isEqualTo(Strategy.BEAM_SEARCH);
        assertThat(DecodingSettingsMapping.toWire(BEAM).getEarlyStopping()).isTrue();
        assertThat(DecodingSettingsMapping.toWire(BEAM).getNumReturnSequences()).isEqualTo(2);
        assertThat(DecodingSettingsMapping.toWire(GREEDY).getStrategy()).isEqualTo(Strategy.GREEDY);
    }

    @Test
    void shouldRoundTripEachStrategyWhateverTheDefaults() {
        for (GenerationSettings settings : List.of(GREEDY, BEAM, SAMPLING)) {
            for (GenerationSettings defaults : List.of(GREEDY, BEAM, SAMPLING)) {
                GenerationSettings back = DecodingSettingsMapping.fromWire(DecodingSettingsMapping.toWire(settings),
                        defaults);
                assertThat(back).as("%s over defaults %s", settings.mode(), defaults.mode())
                        .isEqualTo(settings.toBuilder().seed(defaults.seed()).build());
            }
        }
    }

    @Test
    void shouldKeepTheDefaultsForFieldsTheRecordLeavesUnset() {
        DecodingSettings onlyLength = DecodingSettings.newBuilder().setMaxNewTokens(10).build();

        GenerationSettings settings = DecodingSettingsMapping.fromWire(onlyLength, BEAM);

        assertThat(settings).isEqualTo(BEAM.toBuilder().maxNewTokens(10).build());
        assertThat(DecodingSettingsMapping.fromWire(DecodingSettings.getDefaultInstance(), SAMPLING))
                .isEqualTo(SAMPLING);
    }
}
