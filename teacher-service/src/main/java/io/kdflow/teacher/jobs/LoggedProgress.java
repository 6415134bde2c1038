package io.kdflow.teacher.jobs;

import io.kdflow.core.local.LocalProgress;
import java.util.Locale;
import org.jboss.logging.Logger;

/** Reports a teacher's training to the log: every note, and a progress line at most every 10 seconds. */
final class LoggedProgress implements LocalProgress {

    private static final Logger LOG = Logger.getLogger(LoggedProgress.class);
    private static final long EVERY_NANOS = 10_000_000_000L;

    private final String jobId;
    private long lastLine = System.nanoTime() - EVERY_NANOS;

    LoggedProgress(String jobId) {
        this.jobId = jobId;
    }

    @Override
    public void onProgress(Update update) {
        long now = System.nanoTime();
        if (now - lastLine < EVERY_NANOS && update.done() < update.total()) {
            return;
        }
        lastLine = now;
        LOG.infof("job %s: %s", jobId, String.format(Locale.ROOT, "%s %d/%d %s (%.2f/s, ETA %.0f s) %s",
                update.phase(), update.done(), update.total(), update.unit(), update.perSecond(),
                update.etaSeconds(), update.detail()));
    }

    @Override
    public void onNote(String message) {
        LOG.infof("job %s: %s", jobId, message);
    }
}
