package io.kdflow.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.RetriableException;
import org.jboss.logging.Logger;

/**
 * Delivers one record through a broker outage without writing a second copy it does not need.
 *
 * <p>A copy in flight is never abandoned for a new one: the idempotent producer retries it itself until its
 * delivery timeout, and the broker de-duplicates those retries, so a restart shorter than that timeout costs
 * nothing. Only when the producer gives up on the copy (a retriable error: its fate is unknown, the broker may
 * have written it before the connection dropped) does {@link DeliveryCheck} decide between "already on the
 * topic" and "send a new copy". A record the broker rejects (too large, not authorized) fails at once.
 */
public final class AcknowledgedDelivery {

    private static final Logger LOG = Logger.getLogger(AcknowledgedDelivery.class);

    /** Tells whether a copy whose fate is unknown reached the topic. */
    @FunctionalInterface
    public interface DeliveryCheck {

        /** For records whose consumers de-duplicate by key: a new copy is always sent. */
        DeliveryCheck RESEND = deadlineNanos -> false;

        /**
         * Whether the record is on the topic.
         *
         * @param deadlineNanos {@link System#nanoTime()} after which it must give up; it may block until the broker
         *     answers, and throw when it cannot tell by then
         */
        boolean onTopic(long deadlineNanos);
    }

    /** The broker did not acknowledge a copy in time (it may be down or restarting); the copy may still land. */
    public static final class NotAcknowledgedException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        NotAcknowledgedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The producer gave up on a copy after a retriable error (its delivery timeout): it may or may not be written. */
    static final class CopyLostException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        CopyLostException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private AcknowledgedDelivery() {}

    /**
     * Sends with {@code sender} and waits, in slices of {@code attempt} (one warning per slice), until the broker
     * acknowledges a copy, {@code check} finds one on the topic, or {@code giveUpAfter} has passed.
     *
     * @param sender sends one copy and returns its acknowledgement
     * @throws IllegalStateException when no copy is acknowledged or found within {@code giveUpAfter}, or the broker
     *     rejects the record
     */
    public static void deliver(Supplier<CompletableFuture<Void>> sender, String key, Duration attempt,
            Duration giveUpAfter, DeliveryCheck check) {
        long deadline = System.nanoTime() + giveUpAfter.toNanos();
        settle(sender.get(), sender, key, attempt, deadline, giveUpAfter, check);
    }

    /**
     * Delivers a batch: every copy is sent at once, then each is awaited as {@link #deliver} does, and a copy the
     * producer gave up on is sent again ({@link DeliveryCheck#RESEND}: for records whose consumers de-duplicate by
     * key). One round trip for the batch while the broker is up.
     *
     * @param what names the batch in messages, e.g. "4 PT records of job j"
     */
    public static void deliverAll(List<Supplier<CompletableFuture<Void>>> senders, String what, Duration attempt,
            Duration giveUpAfter) {
        long deadline = System.nanoTime() + giveUpAfter.toNanos();
        List<CompletableFuture<Void>> copies = new ArrayList<>(senders.size());
        senders.forEach(sender -> copies.add(sender.get()));
        for (int i = 0; i < copies.size(); i++) {
            settle(copies.get(i), senders.get(i), what + " (record " + (i + 1) + ")", attempt, deadline, giveUpAfter,
                    DeliveryCheck.RESEND);
        }
    }

    /**
     * Waits for {@code copy}, in slices of {@code attempt} (one warning per slice), until the broker acknowledges a
     * copy or {@code check} finds one on the topic; a copy the producer gave up on and {@code check} does not find
     * is replaced by a new one from {@code sender}. Throws once {@code deadline} has passed.
     */
    private static void settle(CompletableFuture<Void> copy, Supplier<CompletableFuture<Void>> sender, String key,
            Duration attempt, long deadline, Duration giveUpAfter, DeliveryCheck check) {
        int copies = 1;
        for (int waits = 1; ; waits++) {
            try {
                await(copy, key, attempt);
                return;
            } catch (NotAcknowledgedException e) {
                giveUpAfter(deadline, key, copies, giveUpAfter, e);
                LOG.warnf("no broker acknowledgement for record %s after %s (wait %d); the producer retries this"
                        + " copy, waiting for it until %s have passed", key, attempt.multipliedBy(waits), waits,
                        giveUpAfter);
            } catch (CopyLostException e) {
                giveUpAfter(deadline, key, copies, giveUpAfter, e);
                if (check.onTopic(deadline)) {
                    LOG.infof("record %s: the producer gave up on its copy (%s), but the copy is on the topic; not"
                            + " sent again", key, e.getMessage());
                    return;
                }
                LOG.warnf("record %s: the producer gave up on its copy (%s); sending copy %d", key, e.getMessage(),
                        copies + 1);
                copy = sender.get();
                copies++;
            }
        }
    }

    private static void giveUpAfter(long deadline, String key, int copies, Duration giveUpAfter,
            RuntimeException cause) {
        if (System.nanoTime() - deadline >= 0) {
            throw new IllegalStateException("no broker acknowledgement for record " + key + " (" + copies
                    + (copies == 1 ? " copy" : " copies") + ") within " + giveUpAfter, cause);
        }
    }

    /**
     * Waits up to {@code timeout} for {@code acked}.
     *
     * @throws NotAcknowledgedException when it is still pending
     * @throws CopyLostException when the producer gave up on it after a retriable error
     * @throws IllegalStateException when the broker rejected it
     */
    static void await(CompletableFuture<Void> acked, String key, Duration timeout) {
        try {
            acked.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending record " + key, e);
        } catch (ExecutionException e) {
            if (retriable(e.getCause())) {
                throw new CopyLostException(e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage(),
                        e.getCause());
            }
            throw new IllegalStateException("broker rejected record " + key + ": " + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new NotAcknowledgedException("no broker acknowledgement for record " + key + " within " + timeout, e);
        }
    }

    private static boolean retriable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof RetriableException) {
                return true;
            }
        }
        return false;
    }
}
