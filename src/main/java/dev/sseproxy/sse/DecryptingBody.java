package dev.sseproxy.sse;

import dev.sseproxy.backend.PooledBodies;
import dev.sseproxy.crypto.FrameDecryptor;
import dev.sseproxy.crypto.KeyMaterial;
import dev.sseproxy.crypto.ObjectIdentity;
import dev.sseproxy.crypto.RangeMath;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The stored frames of a read plan, decrypted: the backend's bytes for the plan's contiguous
 * ciphertext range go in, segment after segment, and only plaintext of frames whose tag verified,
 * cut to the requested window, comes out. A frame that fails (tampering, a truncated or swapped
 * frame, a blob moved to another key) fails the stream; nothing of that frame or after it is sent.
 * <p>Each frame is decrypted into its own output buffer ({@link FrameBuffers}) and handed on as it
 * is, cut to the window by its indices: after {@link #pooled()} those are pooled direct buffers
 * that the writer releases once written (GetObject's response, see {@code PooledBodies.releasing}),
 * else heap buffers. Pooled, the frames completed by one source buffer go on together, as one
 * buffer of their pieces ({@link CompositeByteBuf}, no copy), so the writer writes them with one
 * system call; each of them was verified before it joined (package documentation: "Large GETs").
 */
public final class DecryptingBody extends TransformingStream {
    private final KeyMaterial key;
    private final ObjectIdentity identity;
    private final List<RangeMath.Segment> segments;
    private int segmentIndex = -1;
    private long segmentRemaining;
    private FrameDecryptor decryptor;
    private FrameBuffers out = new FrameBuffers(false, this::emitPlaintext);
    private boolean gathering;
    /** Pooled: the verified frames of the current source buffer, not yet handed on (one frame, or a composite). */
    private ByteBuf held;
    private long skip;
    private long pass;
    private Runnable beforeFirst;

    /** Emits pooled direct buffers: only for a consumer that releases each once written. */
    public DecryptingBody pooled() {
        out = new FrameBuffers(true, this::emitPlaintext);
        gathering = true;
        return this;
    }

    /** Runs once, just before the first plaintext byte (or the end) is handed on: the response head goes out then. */
    public DecryptingBody beforeFirstOutput(Runnable r) {
        beforeFirst = r;
        return this;
    }

    private void first() {
        Runnable r = beforeFirst;
        beforeFirst = null;
        if (r != null) {
            r.run();
        }
    }

    /** Takes ownership of {@code key}: wiped when the stream ends or fails. */
    public DecryptingBody(ReadStream<Buffer> source, KeyMaterial key, ObjectIdentity identity, RangeMath.Plan plan) {
        super(source);
        this.key = key;
        this.identity = identity;
        this.segments = plan.segments();
        next();
    }

    private void next() {
        segmentIndex++;
        if (segmentIndex < segments.size()) {
            RangeMath.Segment s = segments.get(segmentIndex);
            decryptor = FrameDecryptor.forSegment(key, identity, s);
            segmentRemaining = s.ciphertextLength();
            skip = s.skip();
            pass = s.emit();
        } else {
            decryptor = null;
        }
    }

    @Override
    protected void onData(Buffer b) {
        try {
            ByteBuffer nio = b.getByteBuf().nioBuffer();
            while (nio.hasRemaining()) {
                if (decryptor == null) {
                    throw new dev.sseproxy.crypto.CryptoException.Tampered("bucket " + identity.bucket() + " key "
                            + identity.key() + ": more stored bytes than the envelope describes");
                }
                int n = (int) Math.min(nio.remaining(), segmentRemaining);
                ByteBuffer piece = nio.slice().limit(n);
                nio.position(nio.position() + n);
                decryptor.update(piece, out);
                segmentRemaining -= n;
                if (segmentRemaining == 0) {
                    decryptor.finish();
                    next();
                }
            }
            handOn();
        } catch (RuntimeException e) {
            fail(e);
        } finally {
            // a piece read in place from the backend goes back to its pool once decrypted (else nothing)
            PooledBodies.release(b);
        }
    }

    @Override
    protected void onEnd() {
        if (decryptor != null) {
            try {
                decryptor.finish();
                throw new IllegalStateException("unreachable: a segment is still open");
            } catch (RuntimeException e) {
                fail(e);
                return;
            }
        }
        key.close();
        first();
        end();
    }

    /** One verified frame's plaintext: the segment's window of it goes on, the rest is dropped. */
    private void emitPlaintext(ByteBuf frame) {
        int length = frame.readableBytes();
        int drop = (int) Math.min(skip, length);
        skip -= drop;
        int n = (int) Math.min(pass, length - drop);
        pass -= n;
        if (n > 0 && hasDataHandler()) {
            frame.setIndex(drop, drop + n);
            if (gathering) {
                hold(frame);
                return;
            }
            first();
            emit(Buffer.buffer(frame));
        } else {
            frame.release();
        }
    }

    /** Adds a verified frame's window to what the current source buffer hands on. */
    private void hold(ByteBuf frame) {
        if (held == null) {
            held = frame;
            return;
        }
        if (!(held instanceof CompositeByteBuf)) {
            // components never consolidate (a copy): a source buffer completes a handful of frames
            held = PooledBodies.composite().addComponent(true, held);
        }
        ((CompositeByteBuf) held).addComponent(true, frame);
    }

    /** Hands on the frames the current source buffer completed, as one buffer. */
    private void handOn() {
        ByteBuf b = held;
        held = null;
        if (b == null) {
            return;
        }
        if (!hasDataHandler()) {
            b.release();
            return;
        }
        first();
        emit(Buffer.buffer(b));
    }

    @Override
    protected void fail(Throwable e) {
        if (held != null) {
            held.release();
            held = null;
        }
        out.discard();
        key.close();
        super.fail(e);
    }
}
