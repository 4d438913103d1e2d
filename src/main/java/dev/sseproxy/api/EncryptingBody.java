package dev.sseproxy.api;

import dev.sseproxy.crypto.FrameEncryptor;
import io.netty.buffer.Unpooled;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Consumer;

/**
 * A plaintext body turned into the frames of one part ({@code dev.sseproxy.crypto}), with the MD5
 * of the plaintext on the side (the ETag of SSE-S3 objects and parts). The final frame is emitted
 * only when the source ends, and the source ({@link VerifyingBody}) ends only once every check of
 * the client's body has passed, so the backend never receives a complete object from a bad body.
 * Back-pressure goes straight to the source: one source buffer yields at most a few frames.
 */
final class EncryptingBody implements ReadStream<Buffer> {
    private final ReadStream<Buffer> source;
    private final FrameEncryptor encryptor;
    private final MessageDigest md5 = newMd5();
    private final Consumer<ByteBuffer> out = this::emit;
    private Handler<Buffer> dataHandler;
    private Handler<Void> endHandler;
    private Handler<Throwable> exceptionHandler;
    private boolean failed;

    EncryptingBody(ReadStream<Buffer> source, FrameEncryptor encryptor) {
        this.source = source;
        this.encryptor = encryptor;
    }

    /** The hex MD5 of the plaintext; valid once the stream has ended. */
    String plaintextMd5() {
        return HexFormat.of().formatHex(md5.digest());
    }

    private void onData(Buffer b) {
        if (failed) {
            return;
        }
        try {
            ByteBuffer nio = b.getByteBuf().nioBuffer();
            md5.update(nio.duplicate());
            encryptor.update(nio, out);
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private void onEnd(Void v) {
        if (failed) {
            return;
        }
        try {
            encryptor.finish(out);
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        if (endHandler != null) {
            endHandler.handle(null);
        }
    }

    private void emit(ByteBuffer frame) {
        if (dataHandler != null) {
            dataHandler.handle(Buffer.buffer(Unpooled.wrappedBuffer(frame)));
        }
    }

    private void fail(Throwable e) {
        failed = true;
        if (exceptionHandler != null) {
            exceptionHandler.handle(e);
        }
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        exceptionHandler = handler;
        source.exceptionHandler(handler == null ? null : this::fail);
        return this;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
        dataHandler = handler;
        if (handler == null) {
            source.handler(null);
        } else {
            source.handler(this::onData);
        }
        return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
        source.pause();
        return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
        source.resume();
        return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
        source.fetch(amount);
        return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> handler) {
        endHandler = handler;
        source.endHandler(handler == null ? null : this::onEnd);
        return this;
    }
}
