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
    private String md5Hex;
    /** Run with the plaintext's MD5 before the final frame goes out; the frame waits for it (null: none). */
    private java.util.function.Function<String, io.smallrye.mutiny.Uni<Void>> beforeFinal;

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
        if (md5Hex == null) {
            md5Hex = HexFormat.of().formatHex(md5.digest());
        }
        return md5Hex;
    }

    /**
     * Holds the final frame back until {@code step}, given the plaintext's MD5 once the last byte
     * passed every check, has succeeded (the ETag row of a streamed SSE-S3 write: the object is never
     * complete in the backend without it); its failure fails the body, so the backend never gets the
     * final frame. Only for a body that computes the MD5.
     */
    EncryptingBody beforeFinalFrame(java.util.function.Function<String, io.smallrye.mutiny.Uni<Void>> step) {
        if (md5 == null) {
            throw new IllegalStateException("this body computes no MD5");
        }
        beforeFinal = step;
        return this;
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
        if (beforeFinal == null) {
            finishFrames();
            return;
        }
        io.smallrye.mutiny.Uni<Void> step;
        try {
            step = beforeFinal.apply(plaintextMd5());
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        // the final frame goes out on the request's own context, whichever thread the step completed on
        io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
        step.subscribe().with(v -> onContext(context, () -> {
            if (!failed()) {
                finishFrames();
            }
        }), e -> onContext(context, () -> fail(e)));
    }

    private static void onContext(io.vertx.core.Context context, Runnable r) {
        if (context == null || io.vertx.core.Vertx.currentContext() == context) {
            r.run();
        } else {
            context.runOnContext(v -> r.run());
        }
    }

    private void finishFrames() {
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
