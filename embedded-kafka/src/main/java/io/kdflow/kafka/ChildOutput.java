package io.kdflow.kafka;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Drains the broker child's merged stdout/stderr on a daemon thread: completes {@link #ready()} with the
 * bootstrap servers of the ready line, keeps the last lines for error messages, and hands every other
 * line to a sink. Draining never stops, or a chatty child would block on a full pipe.
 */
final class ChildOutput {

    private static final int TAIL_LINES = 40;

    private final CompletableFuture<String> ready = new CompletableFuture<>();
    private final Deque<String> tail = new ArrayDeque<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    private ChildOutput() {
    }

    static ChildOutput drain(InputStream output, Consumer<String> sink, String threadName) {
        ChildOutput childOutput = new ChildOutput();
        Thread reader = new Thread(() -> childOutput.readAll(output, sink), threadName);
        reader.setDaemon(true);
        reader.start();
        return childOutput;
    }

    /** Completes with the bootstrap servers, or exceptionally when the output ends before the ready line. */
    CompletableFuture<String> ready() {
        return ready;
    }

    /** Completes when the child closed its output (it exited). */
    CompletableFuture<Void> ended() {
        return ended;
    }

    /** The last lines the child printed, oldest first, or a note that it printed nothing. */
    synchronized String tail() {
        return tail.isEmpty() ? "  (no output)" : "  " + String.join(System.lineSeparator() + "  ", tail);
    }

    private void readAll(InputStream output, Consumer<String> sink) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!ready.isDone() && ReadyLine.parse(line).isPresent()) {
                    ready.complete(ReadyLine.parse(line).get());
                    continue;
                }
                remember(line);
                sink.accept(line);
            }
        } catch (IOException e) {
            ready.completeExceptionally(new UncheckedIOException("cannot read the broker's output", e));
        } finally {
            ready.completeExceptionally(new IllegalStateException("the broker's output ended before it was ready"));
            ended.complete(null);
        }
    }

    private synchronized void remember(String line) {
        if (tail.size() == TAIL_LINES) {
            tail.removeFirst();
        }
        tail.addLast(line);
    }
}
