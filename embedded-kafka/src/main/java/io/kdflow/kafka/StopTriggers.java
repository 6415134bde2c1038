package io.kdflow.kafka;

import java.io.IOException;
import java.io.InputStream;

/**
 * Ends this JVM (running its shutdown hooks) when whoever started it goes away. A parent that dies,
 * even by SIGKILL, closes the pipe on our stdin and leaves its process handle exited: either is enough.
 */
final class StopTriggers {

    private StopTriggers() {
    }

    /** Exits once {@code stdin} reaches end of file. Bytes read before that are ignored. */
    static void exitOnEndOfInput(InputStream stdin) {
        Thread reader = new Thread(() -> {
            byte[] buffer = new byte[256];
            try {
                while (stdin.read(buffer) != -1) {
                    // keep draining: only end of file matters
                }
            } catch (IOException e) {
                // a broken pipe means the parent is gone, the same as end of file
            }
            exit("standard input closed");
        }, "kafka-stdin-watch");
        reader.setDaemon(true);
        reader.start();
    }

    /** Exits once the process that started this JVM exits. */
    static void exitWhenParentExits() {
        ProcessHandle.current().parent().ifPresent(parent ->
                parent.onExit().thenRun(() -> exit("parent process " + parent.pid() + " exited")));
    }

    private static void exit(String reason) {
        System.err.println("embedded-kafka: stopping, " + reason);
        System.exit(0);
    }
}
