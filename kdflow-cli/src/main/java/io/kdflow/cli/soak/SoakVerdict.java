package io.kdflow.cli.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * What a soak showed and whether it passed. The checks:
 * <ul>
 *   <li>drained: at the end both groups' lag is 0 and the trainer committed every PT record produced;</li>
 *   <li>none dropped: the trainer's store holds exactly the expected distinct PT records (inputs x K, plus one
 *       GOLD record per labeled input);</li>
 *   <li>trainer memory bounded: the largest trainer RSS of the last third of the samples is at most the bound,
 *       and the least-squares slope of the trainer's RSS over the last third is at most the allowed growth;</li>
 *   <li>trained: the trainer published its final KD student (it trained on every record, read back from its
 *       store), and no service failed.</li>
 * </ul>
 *
 * @param samples every sample, in time order (at least 3)
 * @param expectedPts distinct PT records the job needs
 * @param storedPts distinct PT records in the trainer's store at the end
 * @param rssBoundMb the trainer's RSS bound (MiB)
 * @param maxSlopeMbPerMinute the largest trainer RSS growth over the last third still called flat (MiB per minute)
 * @param failure why a service or the job's run failed, if one did
 */
record SoakVerdict(List<SoakSample> samples, long expectedPts, long storedPts, double rssBoundMb,
        double maxSlopeMbPerMinute, Optional<String> failure) {

    SoakVerdict {
        samples = List.copyOf(samples);
        Objects.requireNonNull(failure, "failure");
        if (samples.size() < 3) {
            throw new IllegalArgumentException("a verdict needs at least 3 samples, got " + samples.size());
        }
    }

    SoakSample last() {
        return samples.get(samples.size() - 1);
    }

    boolean drained() {
        SoakSample last = last();
        return last.drained() && last.pts().produced() == expectedPts;
    }

    boolean noneDropped() {
        return storedPts == expectedPts;
    }

    double lastThirdMaxRssMb() {
        return tail().stream().mapToDouble(SoakSample::trainerRssMb).max().orElseThrow();
    }

    /** Least-squares slope of the trainer's RSS over the last third, in MiB per minute. */
    double lastThirdSlopeMbPerMinute() {
        List<SoakSample> tail = tail();
        double meanT = tail.stream().mapToDouble(SoakSample::seconds).average().orElseThrow();
        double meanR = tail.stream().mapToDouble(SoakSample::trainerRssMb).average().orElseThrow();
        double covariance = 0;
        double variance = 0;
        for (SoakSample sample : tail) {
            covariance += (sample.seconds() - meanT) * (sample.trainerRssMb() - meanR);
            variance += (sample.seconds() - meanT) * (sample.seconds() - meanT);
        }
        return variance == 0 ? 0 : covariance / variance * 60;
    }

    boolean memoryBounded() {
        return lastThirdMaxRssMb() <= rssBoundMb && lastThirdSlopeMbPerMinute() <= maxSlopeMbPerMinute;
    }

    boolean trained() {
        return failure.isEmpty() && last().trainerDone();
    }

    boolean passed() {
        return drained() && noneDropped() && memoryBounded() && trained();
    }

    /** Seconds from submission to the first sample from which on both groups stayed drained with every PT stored. */
    Optional<Double> drainSeconds() {
        Optional<Double> since = Optional.empty();
        for (SoakSample sample : samples) {
            boolean done = sample.drained() && sample.pts().committed() == expectedPts;
            if (done && since.isEmpty()) {
                since = Optional.of(sample.seconds());
            } else if (!done) {
                since = Optional.empty();
            }
        }
        return since;
    }

    /** The summary lines docs/operations.md quotes. */
    List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "samples: %d over %.0f s", samples.size(), last().seconds()));
        lines.add("student-trainer RSS MiB " + stats(SoakSample::trainerRssMb));
        lines.add("pt-sampler RSS MiB " + stats(SoakSample::samplerRssMb));
        lines.add("teacher-service RSS MiB " + stats(SoakSample::teacherRssMb));
        lines.add(String.format(Locale.ROOT, "largest sampler lag %d inputs, trainer lag %d PT records",
                samples.stream().mapToLong(s -> s.examples().lag()).max().orElseThrow(),
                samples.stream().mapToLong(s -> s.pts().lag()).max().orElseThrow()));
        lines.add("drained (both lags 0, every PT record committed) after "
                + drainSeconds().map(s -> String.format(Locale.ROOT, "%.0f s", s)).orElse("- (not drained)"));
        lines.add("trainer's final KD student published after " + samples.stream().filter(SoakSample::trainerDone)
                .findFirst().map(s -> String.format(Locale.ROOT, "%.0f s", s.seconds())).orElse("- (not yet)"));
        lines.add(String.format(Locale.ROOT, "%s drained at the end: sampler lag %d, trainer lag %d, PT records "
                + "produced %d of %d expected", check(drained()), last().examples().lag(), last().pts().lag(),
                last().pts().produced(), expectedPts));
        lines.add(String.format(Locale.ROOT, "%s none dropped: %d distinct PT records stored, %d expected",
                check(noneDropped()), storedPts, expectedPts));
        lines.add(String.format(Locale.ROOT, "%s trainer memory bounded: last third max %.0f MiB (bound %.0f), "
                + "slope %.1f MiB/min (allowed %.1f)", check(memoryBounded()), lastThirdMaxRssMb(), rssBoundMb,
                lastThirdSlopeMbPerMinute(), maxSlopeMbPerMinute));
        lines.add(check(trained()) + " trained: " + failure.map(f -> "failed: " + f)
                .orElse(last().trainerDone() ? "the final KD student is in" : "no final KD student yet"));
        lines.add(passed() ? "soak PASSED" : "soak FAILED");
        return lines;
    }

    /** The last third of the samples (at least 2). */
    private List<SoakSample> tail() {
        int size = Math.max(2, samples.size() / 3);
        return samples.subList(samples.size() - size, samples.size());
    }

    private String stats(ToDoubleFunction<SoakSample> rss) {
        double[] values = samples.stream().mapToDouble(rss).filter(v -> v >= 0).sorted().toArray();
        if (values.length == 0) {
            return "n/a";
        }
        double median = values.length % 2 == 1 ? values[values.length / 2]
                : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
        return String.format(Locale.ROOT, "min %.0f, median %.0f, max %.0f (first %.0f, last %.0f)", values[0], median,
                values[values.length - 1], rss.applyAsDouble(samples.get(0)), rss.applyAsDouble(last()));
    }

    private static String check(boolean ok) {
        return ok ? "PASS" : "FAIL";
    }
}
