package io.kdflow.cli.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.DoubleStream;

/**
 * Where one process is killed during a chaos run: {@code kills} points drawn uniformly (seeded, per process, so that a
 * process gets the same points whichever others run) from 5% to 90% of the uninterrupted run's duration, each turned
 * into the progress the uninterrupted run had made by then ({@link ChaosRun#progressUnits}: PT records, optimizer
 * steps, final reports). The killed run kills when it has made that much progress, so a point lands at the same stage
 * of the job however busy the machine is.
 *
 * @param at the points as times of the uninterrupted run
 * @param milestones the progress at which each kill happens, ascending
 */
record KillPlan(ChaosVictim victim, List<Duration> at, List<Long> milestones) {

    static final double FIRST = 0.05;
    static final double LAST = 0.90;

    /** One look at the uninterrupted run: its job time and the progress it had made. */
    record Progress(Duration at, long units) {}

    KillPlan {
        at = List.copyOf(at);
        milestones = List.copyOf(milestones);
        if (at.size() != milestones.size()) {
            throw new IllegalArgumentException(at.size() + " times but " + milestones.size() + " milestones");
        }
    }

    /**
     * @param reference the uninterrupted run's progress over its job time, in time order, the last look at its end
     */
    static KillPlan of(ChaosVictim victim, int kills, long seed, List<Progress> reference) {
        if (kills < 1) {
            throw new IllegalArgumentException("kills must be >= 1, got " + kills);
        }
        if (reference.isEmpty()) {
            throw new IllegalArgumentException("no progress of the uninterrupted run to place kills in");
        }
        SplittableRandom random = new SplittableRandom(seed * 31 + victim.ordinal());
        double[] fractions = DoubleStream.generate(() -> FIRST + (LAST - FIRST) * random.nextDouble()).limit(kills)
                .sorted().toArray();
        Duration end = reference.get(reference.size() - 1).at();
        List<Duration> at = new ArrayList<>();
        List<Long> milestones = new ArrayList<>();
        for (double fraction : Arrays.stream(fractions).toArray()) {
            Duration time = Duration.ofMillis(Math.round(fraction * end.toMillis()));
            at.add(time);
            milestones.add(unitsAt(reference, time));
        }
        return new KillPlan(victim, at, milestones);
    }

    /** The progress of the latest look at or before {@code time} (0 before the first). */
    private static long unitsAt(List<Progress> reference, Duration time) {
        long units = 0;
        for (Progress look : reference) {
            if (look.at().compareTo(time) > 0) {
                break;
            }
            units = Math.max(units, look.units());
        }
        return units;
    }
}
