package io.kdflow.cli.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressLineTest {

    @Test
    void shouldPrintDoneTotalRateAndEtaThenAFinalLine() {
        StringWriter text = new StringWriter();
        ProgressLine progress = new ProgressLine("generate", "inputs", 4, new PrintWriter(text), 0);

        progress.advance(1);
        progress.advance(3); // all done: only the final line speaks for it
        progress.finish();

        String[] lines = text.toString().split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).matches("generate: 1/4 inputs \\(25\\.0%\\), \\d+\\.\\d\\d inputs/s, ETA \\S+");
        assertThat(lines[1]).matches("generate: 4/4 inputs in \\d+\\.\\d\\ds \\(\\d+\\.\\d\\d inputs/s\\)");
    }

    @Test
    void shouldEndWithTheTokensAndTheirRateWhenGiven() {
        StringWriter text = new StringWriter();
        ProgressLine progress = new ProgressLine("generate", "inputs", 2, new PrintWriter(text), 0);

        progress.advance(2);
        progress.finish(96, "new tokens");

        assertThat(text.toString().strip()).matches("generate: 2/2 inputs in \\d+\\.\\d\\ds \\(\\d+\\.\\d\\d inputs/s,"
                + " 96 new tokens, \\d+\\.\\d new tokens/s\\)");
        assertThat(ProgressLine.precise(3.14159)).isEqualTo("3.14s");
        assertThat(ProgressLine.precise(125)).isEqualTo("2m05s");
    }

    @Test
    void shouldWriteDurationsReadably() {
        assertThat(ProgressLine.duration(42.4)).isEqualTo("42s");
        assertThat(ProgressLine.duration(125)).isEqualTo("2m05s");
        assertThat(ProgressLine.duration(7322)).isEqualTo("2h02m");
    }
}
