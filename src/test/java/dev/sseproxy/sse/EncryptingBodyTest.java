package dev.sseproxy.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.crypto.FrameEncryptor;
import dev.sseproxy.crypto.FrameFormat;
import dev.sseproxy.crypto.KeyMaterial;
import dev.sseproxy.crypto.ObjectIdentity;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The step before the final frame (the ETag row of a streamed SSE-S3 write): the final frame and the
 * end wait for it, it gets the plaintext's MD5, and when it fails the final frame never goes out.
 */
class EncryptingBodyTest {
    static final int SIZE = 3 * FrameFormat.FRAME_SIZE + 1000;

    @Test
    void theFinalFrameWaitsForTheStepAndFollowsIt() throws Exception {
        byte[] plain = random();
        Source source = new Source();
        AtomicReference<UniEmitter<? super Void>> pending = new AtomicReference<>();
        AtomicReference<String> md5 = new AtomicReference<>();
        EncryptingBody body = body(source).beforeFinalFrame(m -> {
            md5.set(m);
            return Uni.createFrom().<Void>emitter(e -> pending.set(e));
        });
        AtomicLong emitted = new AtomicLong();
        AtomicBoolean ended = new AtomicBoolean();
        body.handler(b -> emitted.addAndGet(b.length()));
        body.endHandler(v -> ended.set(true));
        source.data.handle(Buffer.buffer(plain));
        source.end.handle(null);

        long withoutFinal = emitted.get();
        assertEquals(3L * FrameFormat.FRAME_CIPHERTEXT_SIZE, withoutFinal, "every frame but the final one");
        assertFalse(ended.get());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(plain)), md5.get());

        pending.get().complete(null);
        assertEquals(FrameFormat.ciphertextLength(SIZE), emitted.get());
        assertTrue(ended.get());
        assertEquals(md5.get(), body.plaintextMd5());
    }

    @Test
    void aFailedStepFailsTheBodyAndTheFinalFrameNeverGoesOut() {
        Source source = new Source();
        IllegalStateException boom = new IllegalStateException("catalog down");
        EncryptingBody body = body(source).beforeFinalFrame(m -> Uni.createFrom().failure(boom));
        AtomicLong emitted = new AtomicLong();
        AtomicBoolean ended = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        body.exceptionHandler(failure::set);
        body.handler(b -> emitted.addAndGet(b.length()));
        body.endHandler(v -> ended.set(true));
        source.data.handle(Buffer.buffer(random()));
        source.end.handle(null);

        assertSame(boom, failure.get());
        assertEquals(3L * FrameFormat.FRAME_CIPHERTEXT_SIZE, emitted.get());
        assertFalse(ended.get());
    }

    private static EncryptingBody body(Source source) {
        FrameEncryptor encryptor = new FrameEncryptor(KeyMaterial.random(), new ObjectIdentity("b", "k"), 1, SIZE);
        return new EncryptingBody(source, encryptor, false, true);
    }

    private static byte[] random() {
        byte[] b = new byte[SIZE];
        new Random(7).nextBytes(b);
        return b;
    }

    /** A source driven by the test: it hands over whatever the test pushes. */
    static final class Source implements ReadStream<Buffer> {
        Handler<Buffer> data;
        Handler<Void> end;

        public ReadStream<Buffer> exceptionHandler(Handler<Throwable> h) {
            return this;
        }

        public ReadStream<Buffer> handler(Handler<Buffer> h) {
            data = h;
            return this;
        }

        public ReadStream<Buffer> pause() {
            return this;
        }

        public ReadStream<Buffer> resume() {
            return this;
        }

        public ReadStream<Buffer> fetch(long amount) {
            return this;
        }

        public ReadStream<Buffer> endHandler(Handler<Void> h) {
            end = h;
            return this;
        }
    }
}
