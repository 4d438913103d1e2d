package dev.sseproxy.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.function.Consumer;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts one part of a declared plaintext length as a stream of 64 KiB frames (package
 * specification, "Body: frames"). Because the length is known, so is each frame's final flag
 * when the frame begins: plaintext in any split is encrypted straight from the caller's buffer
 * into the {@link FrameSink}'s buffer for its frame (one pass, no staging copy), and a frame is
 * handed to the sink when its tag is written. The final frame is held until {@link #finish}: the
 * caller finishes only when its source ended well, so a stream cut short, or failed, never gives
 * the backend a complete part. Plaintext longer or shorter than declared fails
 * ({@link IllegalStateException}), again before the final frame goes out. Not thread-safe; one
 * instance per part.
 */
public final class FrameEncryptor {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private final SecretKeySpec key;
    private final int partNumber;
    private final long length;
    private final long finalFrame;
    private final byte[] aadNotFinal;
    private final byte[] aadFinal;
    private final Cipher cipher;
    private ByteBuffer frame;
    private int frameRemaining;
    private long nextFrame;
    private long plaintextBytes;
    private boolean finished;

    /**
     * @param key             the object (upload) key; must stay open while this encryptor is used
     * @param identity        the bucket and key the object is stored under
     * @param partNumber      1 for a single PUT, else the part number recorded in the part table
     * @param plaintextLength the part's plaintext length: exactly this many bytes must follow
     */
    public FrameEncryptor(KeyMaterial key, ObjectIdentity identity, int partNumber, long plaintextLength) {
        FrameFormat.checkPartNumber(partNumber);
        this.finalFrame = FrameFormat.finalFrameIndex(plaintextLength);
        this.key = key.secretKey();
        this.partNumber = partNumber;
        this.length = plaintextLength;
        this.aadNotFinal = FrameFormat.associatedData(identity, false);
        this.aadFinal = FrameFormat.associatedData(identity, true);
        this.cipher = Ciphers.gcm();
    }

    /** Consumes all of {@code plaintext}, handing every completed non-final frame to {@code out}. */
    public void update(ByteBuffer plaintext, FrameSink out) {
        checkOpen();
        while (plaintext.hasRemaining()) {
            if (frame == null) {
                begin(out);
            }
            if (frameRemaining == 0) {
                throw tooLong(plaintext.remaining());
            }
            int n = Math.min(plaintext.remaining(), frameRemaining);
            int limit = plaintext.limit();
            plaintext.limit(plaintext.position() + n);
            try {
                cipher.update(plaintext, frame);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-GCM encryption failed", e);
            } finally {
                plaintext.limit(limit);
            }
            frameRemaining -= n;
            plaintextBytes += n;
            if (frameRemaining == 0) {
                seal();
                if (nextFrame - 1 < finalFrame) {
                    hand(out);
                }
            }
        }
    }

    /** {@link #update(ByteBuffer, FrameSink)} into fresh heap arrays. */
    public void update(ByteBuffer plaintext, Consumer<ByteBuffer> out) {
        update(plaintext, FrameSink.of(out));
    }

    /**
     * Hands the final frame to {@code out} (an empty one for an empty part); the encryptor is then spent.
     *
     * @throws IllegalStateException if fewer plaintext bytes came than declared
     */
    public void finish(FrameSink out) {
        checkOpen();
        finished = true;
        if (length == 0) {
            begin(out);
            seal();
        }
        if (plaintextBytes != length || frame == null || frameRemaining != 0) {
            throw new IllegalStateException("plaintext of " + plaintextBytes + " bytes, " + length + " declared");
        }
        hand(out);
    }

    /** {@link #finish(FrameSink)} into a fresh heap array. */
    public void finish(Consumer<ByteBuffer> out) {
        finish(FrameSink.of(out));
    }

    /** Plaintext bytes consumed so far. */
    public long plaintextBytes() {
        return plaintextBytes;
    }

    private void begin(FrameSink out) {
        if (nextFrame > finalFrame) {
            throw tooLong(1);
        }
        int size = FrameFormat.framePlaintextSize(length, nextFrame);
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, FrameFormat.nonce(partNumber, nextFrame)));
            cipher.updateAAD(nextFrame == finalFrame ? aadFinal : aadNotFinal);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
        frame = out.buffer(size + FrameFormat.TAG_SIZE);
        frameRemaining = size;
    }

    /** Writes the frame's tag (the last partial block before it). */
    private void seal() {
        try {
            cipher.doFinal(EMPTY, frame);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
        nextFrame++;
    }

    private void hand(FrameSink out) {
        ByteBuffer done = frame.flip();
        frame = null;
        out.accept(done);
    }

    private IllegalStateException tooLong(long more) {
        finished = true;
        return new IllegalStateException("plaintext longer than the " + length + " bytes declared (at least "
                + (plaintextBytes + more) + ")");
    }

    private void checkOpen() {
        if (finished) {
            throw new IllegalStateException("encryptor already finished");
        }
    }
}
