package dev.sseproxy.sse;

import dev.sseproxy.crypto.FrameEncryptor;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A plaintext body turned into the frames of one part ({@code dev.sseproxy.crypto}), with the MD5
 * of the plaintext on the side (the ETag of SSE-S3 objects and parts). The final frame is emitted
 * only when the source ends, and the source ({@link VerifyingBody}) ends only once every check of
 * the client's body has passed, so the backend never receives a complete object from a bad body.
 * Back-pressure goes straight to the source: one source buffer yields at most a few frames.
 * <p>One pass over the plaintext: each source buffer is read by MD5 and encrypted from where it
 * lies into the frame's output buffer ({@link FrameBuffers}); with {@code pooled} those are
 * pooled direct buffers that the backend request releases once written (the streamed PUT), else
 * heap buffers (a body collected in memory).
 */
final class EncryptingBody extends TransformingStream {
    private final FrameEncryptor encryptor;
    /** Null when the caller needs no MD5 (only SSE-S3's ETag is the plaintext's MD5). */
    private final MessageDigest md5;
    private final FrameBuffers out;

    EncryptingBody(ReadStream<Buffer> source, FrameEncryptor encryptor, boolean pooled, boolean md5) {
        super(source);
        this.encryptor = encryptor;
        this.md5 = md5 ? newMd5() : null;
        this.out = new FrameBuffers(pooled, this::emitFrame);
    }

    /** The hex MD5 of the plaintext; valid once the stream has ended, and only if asked for. */
    String plaintextMd5() {
        if (md5 == null) {
            throw new IllegalStateException("this body computes no MD5");
        }
        return HexFormat.of().formatHex(md5.digest());
    }

    @Override
    protected void onData(Buffer b) {
        try {
            ByteBuffer nio = b.getByteBuf().nioBuffer();
            if (md5 != null) {
                md5.update(nio.duplicate());
            }
            encryptor.update(nio, out);
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    @Override
    protected void onEnd() {
        try {
            encryptor.finish(out);
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        end();
    }

    private void emitFrame(ByteBuf frame) {
        if (hasDataHandler()) {
            emit(Buffer.buffer(frame));
        } else {
            frame.release();
        }
    }

    @Override
    protected void fail(Throwable e) {
        out.discard();
        super.fail(e);
    }

    @Override
    protected void onDetach() {
        out.discard();
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
