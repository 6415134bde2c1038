package io.kdflow.cli.soak;

import java.util.List;
import java.util.Locale;

/**
 * One sample of a soak: seconds since the inputs were submitted, resident memory of the services (MiB; -1 once a
 * process is gone), and the two consumer groups' positions: pt-sampler's on the examples topic, student-trainer's
 * on the PT topic (records it committed, i.e. stored: the trainer stores a record before its offset is committed),
 * and the student checkpoints the trainer published so far (whether the final KD student's is among them).
 */
record SoakSample(double seconds, double trainerRssMb, double samplerRssMb, double teacherRssMb,
        ConsumerLag.Position examples, ConsumerLag.Position pts, int studentCheckpoints, boolean trainerDone) {

    static final List<String> COLUMNS = List.of("seconds", "trainer_rss_mb", "sampler_rss_mb", "teacher_rss_mb",
            "examples_produced", "sampler_committed", "sampler_lag", "pts_produced", "trainer_committed",
            "trainer_lag", "student_checkpoints", "trainer_done");

    /** Both groups have consumed everything produced so far. */
    boolean drained() {
        return examples.lag() == 0 && pts.lag() == 0;
    }

    String csvRow() {
        return String.format(Locale.ROOT, "%.1f,%.1f,%.1f,%.1f,%d,%d,%d,%d,%d,%d,%d,%b", seconds, trainerRssMb,
                samplerRssMb, teacherRssMb, examples.produced(), examples.committed(), examples.lag(), pts.produced(),
                pts.committed(), pts.lag(), studentCheckpoints, trainerDone);
    }

    static String csvHeader() {
        return String.join(",", COLUMNS);
    }
}
