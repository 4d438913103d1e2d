package dev.sseproxy.sse;

/**
 * The port through which {@link SseService} asks for heap to hold a small ciphertext whole (the
 * edge's global budget of buffered body bytes, {@code sse-proxy.limits.buffered-body-bytes},
 * implemented in {@code api}).
 */
public interface BufferBudget {
    /**
     * Takes {@code bytes} from the budget, or answers null when it is spent (the write then streams,
     * as a large one does). Closing the answer gives the bytes back.
     */
    Lease takeOrStream(long bytes);

    /** Bytes taken from the budget; closing gives them back (once). */
    interface Lease extends AutoCloseable {
        @Override
        void close();
    }
}
