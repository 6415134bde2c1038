package io.kdflow.cli.report;

import io.kdflow.core.eval.MetricNames;
/**
 * How a run report chooses checkpoints and draws its plots.
 *
 * @param selectionMetric the metric that picks the best checkpoint (the job's {@code selection_metric})
 * @param selectionSplit the split it is read on, normally {@code dev}
 * @param plotWidth width of every PNG plot in pixels
 * @param plotHeight height of every PNG plot in pixels
 */
public record ReportOptions(String selectionMetric, String selectionSplit, int plotWidth, int plotHeight) {

    public ReportOptions {
        if (selectionMetric == null || selectionMetric.isBlank()) {
            throw new IllegalArgumentException("selection metric must not be blank");
        }
        if (selectionSplit == null || selectionSplit.isBlank()) {
            throw new IllegalArgumentException("selection split must not be blank");
        }
        if (plotWidth < 200 || plotHeight < 150) {
            throw new IllegalArgumentException("plot size " + plotWidth + "x" + plotHeight
                    + " is too small to read, expected at least 200x150");
        }
    }

    /** BLEU on dev, plots of 900 x 560 pixels. */
    public static ReportOptions defaults() {
        return new ReportOptions(MetricNames.BLEU, "dev", 900, 560);
    }

    public ReportOptions withSelection(String metric, String split) {
        return new ReportOptions(metric, split, plotWidth, plotHeight);
    }

    public ReportOptions withPlotSize(int width, int height) {
        return new ReportOptions(selectionMetric, selectionSplit, width, height);
    }

    /** Whether a larger value of the selection metric is better ({@link MetricNames#direction}). */
    public boolean higherIsBetter() {
        return !MetricNames.lowerIsBetter(selectionMetric);
    }
}
