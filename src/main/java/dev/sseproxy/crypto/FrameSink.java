package dev.sseproxy.crypto;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Where {@link FrameEncryptor} and {@link FrameDecryptor} write: for each frame they ask for a
 * buffer of exactly the frame's output size, write into it, and hand it back filled. The caller
 * chooses the memory, so the request path gives them pooled direct buffers that go to the socket
 * as they are (no array per frame, no copy from heap to direct memory on the way out).
 * <p><b>Ownership.</b> A buffer handed out by {@link #buffer} belongs to the sink. The stream
 * hands it back with {@link #accept} once the frame is complete (and, when decrypting, verified);
 * a buffer it asked for and never handed back (the stream failed, or the input stopped inside a
 * frame) is the sink's to free. At most one buffer is out at a time.
 */
public interface FrameSink {
    /**
     * A buffer with position 0 and exactly {@code size} bytes remaining, for the next frame.
     * Until {@link #accept}, the previous one (if any) was given back.
     */
    ByteBuffer buffer(int size);

    /** The buffer of the last {@link #buffer} call, filled: position 0, limit the bytes written. */
    void accept(ByteBuffer frame);

    /** A sink of fresh heap arrays, each handed to {@code out} (tests, and callers that keep frames). */
    static FrameSink of(Consumer<ByteBuffer> out) {
        return new FrameSink() {
            @Override
            public ByteBuffer buffer(int size) {
                return ByteBuffer.allocate(size);
            }

            @Override
            public void accept(ByteBuffer frame) {
                out.accept(frame);
            }
        };
    }
}
