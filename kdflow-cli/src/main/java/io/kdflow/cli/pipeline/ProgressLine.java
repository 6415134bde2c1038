package io.kdflow.cli.pipeline;

import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.ModelRole;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * One progress line of a followed job: elapsed time, PT records received / expected, the trainer's latest step,
 * phase, train loss and dev metric, final checkpoints and reports in, dead letters, and a rough ETA (from the
 * share of PT records and of the six final reports received, weighted equally).
 */
final class ProgressLine {

    private static final int FINAL_REPORTS = 6;

    private ProgressLine() {}

    static String of(JobProgress progress, String selectionMetric, Duration elapsed) {
        double seconds = Math.max(1e-3, elapsed.toMillis() / 1000.0);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%6.0f s | PTs %d/%d", seconds,
                progress.ptRecords(), progress.expectedPtRecords()));
        progress.latestTrainerPoint().ifPresentOrElse(point -> {
            Map<String, Double> m = point.metrics();
            line.append(String.format(Locale.ROOT, " | step %d (%s, epoch %d)", point.step(),
                    point.phase().isEmpty() ? "?" : point.phase(), point.epoch()));
            line.append(" loss ").append(number(m.get("train_loss"), "%.3f"));
            line.append(" dev ").append(selectionMetric).append(' ')
                    .append(number(m.get(PipelinePoints.DEV_PREFIX + selectionMetric), "%.2f"));
        }, () -> line.append(" | trainer: no dev evaluation yet"));
        line.append(" | final checkpoints ").append(finals(progress));
        line.append(String.format(Locale.ROOT, " | reports %d/%d | dead letters %d | ETA %s", progress.finalReports(),
                FINAL_REPORTS, progress.deadLetters().size(), eta(progress, seconds)));
        return line.toString();
    }

    /** T, B and S for the teacher's, the CE baseline's and the student's final checkpoint events received. */
    private static String finals(JobProgress progress) {
        StringBuilder flags = new StringBuilder();
        for (ModelRole role : JobProgress.FINAL_ROLES) {
            boolean in = progress.finalCheckpoint(role).map(CheckpointEvent::getFinal).orElse(false);
            flags.append(in ? letter(role) : '-');
        }
        return flags.toString();
    }

    private static char letter(ModelRole role) {
        return switch (role) {
            case TEACHER -> 'T';
            case STUDENT_BASELINE -> 'B';
            default -> 'S';
        };
    }

    static String eta(JobProgress progress, double seconds) {
        double pts = progress.expectedPtRecords() == 0 ? 1
                : Math.min(1.0, progress.ptRecords() / (double) progress.expectedPtRecords());
        double fraction = (pts + progress.finalReports() / (double) FINAL_REPORTS) / 2;
        if (fraction <= 0 || fraction >= 1) {
            return fraction >= 1 ? "0 s" : "?";
        }
        return String.format(Locale.ROOT, "%.0f s", seconds * (1 - fraction) / fraction);
    }

    private static String number(Double value, String format) {
        return value == null ? "n/a" : String.format(Locale.ROOT, format, value);
    }
}
