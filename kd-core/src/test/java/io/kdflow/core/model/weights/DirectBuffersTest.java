package io.kdflow.core.model.weights;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** A checkpoint's read buffers go back at once, not when the garbage collector runs. */
class DirectBuffersTest {

    private static final int SIZE = 8 << 20;

    @Test
    void shouldReturnADirectBuffersMemoryAtOnce() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(SIZE);
        long held = directMemoryUsed();

        DirectBuffers.free(buffer);

        assertThat(DirectBuffers.freesImmediately()).isTrue();
        assertThat(held - directMemoryUsed()).isGreaterThanOrEqualTo(SIZE);
    }

    @Test
    void shouldLeaveAHeapBufferAlone() {
        ByteBuffer heap = ByteBuffer.allocate(16);
        heap.putInt(0, 42);

        DirectBuffers.free(heap);

        assertThat(heap.getInt(0)).isEqualTo(42);
    }

    private static long directMemoryUsed() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct"))
                .mapToLong(BufferPoolMXBean::getMemoryUsed)
                .sum();
    }
}
