package io.kdflow.core.testing;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;

/**
 * Frees, at a point a test chooses, the native memory of every Java direct buffer nothing references any more:
 * what the JVM otherwise does at a garbage collection of its own choosing. DJL builds arrays from Java data over
 * such buffers, so a test that calls this between a forward and a backward pass makes any use of freed memory in
 * the backward pass happen every time instead of once in a while.
 */
public final class DirectBuffers {

    private static final int MAX_ROUNDS = 200;

    private DirectBuffers() {}

    /** Collects garbage until a buffer dropped here has been freed and the count of direct buffers stays put. */
    public static void freeUnreachable() {
        BufferPoolMXBean pool = directPool();
        ByteBuffer.allocateDirect(1); // dropped at once: freed by the same collection as the others
        long withCanary = pool.getCount();
        long previous = Long.MAX_VALUE;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            System.gc();
            pause();
            long now = pool.getCount();
            if (now < withCanary && now == previous) {
                return;
            }
            previous = now;
        }
        throw new AssertionError("direct buffers were not freed after " + MAX_ROUNDS + " garbage collections");
    }

    private static BufferPoolMXBean directPool() {
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                return pool;
            }
        }
        throw new IllegalStateException("this JVM reports no direct buffer pool");
    }

    private static void pause() {
        try {
            Thread.sleep(5); // the reference handler thread frees the buffers after the collection
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for direct buffers to be freed", e);
        }
    }
}
