package io.kdflow.cli.pipeline;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.DoubleStream;

/**
 * When one process is killed during a chaos run: {@code kills} points drawn uniformly (seeded, per process, so a
 * process gets the same points whichever others run) from 5% to 90% of the uninterrupted run's duration, sorted.
 * A point is a time of the job's own progress: the chaos run measures it from the submission without the time its
 * victim spent recovering, so that the same point lands at about the same stage of the job as in the reference.
 */
record KillPlan(ChaosVictim victim, List<Duration> points) {

    static final double FIRST = 0.05;
    static final double LAST = 0.90;

    KillPlan {
        points = List.copyOf(points);
    }

    static KillPlan of(ChaosVictim victim, int kills, long seed, Duration reference) {
        if (kills < 1) {
            throw new IllegalArgumentException("kills must be >= 1, got " + kills);
        }
        SplittableRandom random = new SplittableRandom(seed * 31 + victim.ordinal());
        double[] fractions = DoubleStream.generate(() -> FIRST + (LAST - FIRST) * random.nextDouble()).limit(kills)
                .sorted().toArray();
        return new KillPlan(victim, Arrays.stream(fractions)
                .mapToObj(f -> Duration.ofMillis(Math.round(f * reference.toMillis()))).toList());
    }
}
