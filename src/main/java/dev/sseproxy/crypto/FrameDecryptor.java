package dev.sseproxy.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.function.Consumer;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Decrypts a contiguous run of whole frames of one part (package specification, "Body: frames").
 * Accepts ciphertext in any split. A frame that arrives whole in one input buffer is decrypted
 * straight from it; one split across buffers is gathered first (at most one frame). Each frame is
 * decrypted into the {@link FrameSink}'s buffer and handed to the sink only after its tag verified
 * (a buffer whose frame failed is never handed back: the sink frees it, unread). Any failure is
 * {@link CryptoException.Tampered} and ends the decryptor.
 * Not thread-safe; one instance per run.
 */
public final class FrameDecryptor {
    /**
     * This thread's array for a frame's plaintext, when the sink's buffer is direct: the JDK's AES-GCM
     * (17) runs fastest from array to array, and through a temporary array per block run when one side
     * is direct, so decrypting into this array and copying into the sink's buffer costs less
     * ({@code dev.sseproxy.sse} package documentation, "Large GETs", with numbers).
     */
    private static final ThreadLocal<byte[]> PLAIN = ThreadLocal.withInitial(() -> new byte[FrameFormat.FRAME_SIZE]);
    /**
     * This thread's array for a frame's ciphertext, when it is direct too (read in place from the
     * backend): with both sides direct, and in one memory region as Netty's pooled buffers are, the JDK
     * (17) copies the whole input into a new heap buffer first ({@code GCMEngine.overlapDetection}),
     * which cost more than this copy into an array that stays in cache.
     */
    private static final ThreadLocal<byte[]> CIPHER = ThreadLocal.withInitial(() -> new byte[FrameFormat.FRAME_CIPHERTEXT_SIZE]);
    private final SecretKeySpec key;
    private final ObjectIdentity identity;
    private final int partNumber;
    private final long partPlaintextLength;
    private final long finalFrame;
    private final long endFrame;
    private final byte[] aadNotFinal;
    private final byte[] aadFinal;
    /**
     * A frame split across input buffers, gathered; allocated on the first such frame, at the size of
     * the run's largest frame (a small object's only frame usually arrives whole and needs none: no
     * 64 KiB array per 4 KiB GET).
     */
    private byte[] pending;
    private int pendingLength;
    private long nextFrame;
    private boolean done;

    /**
     * A run from {@code firstFrameIndex} to the end of the part: {@link #finish()} insists on the
     * final frame.
     *
     * @param partPlaintextLength the part's plaintext length from the envelope's part table, which
     *                            fixes which frame is final
     */
    public FrameDecryptor(KeyMaterial key, ObjectIdentity identity, int partNumber, long firstFrameIndex,
                          long partPlaintextLength) {
        this(key, identity, partNumber, firstFrameIndex,
                FrameFormat.frameCount(partPlaintextLength) - firstFrameIndex, partPlaintextLength);
    }

    private FrameDecryptor(KeyMaterial key, ObjectIdentity identity, int partNumber, long firstFrameIndex,
                           long frameCount, long partPlaintextLength) {
        FrameFormat.checkPartNumber(partNumber);
        this.finalFrame = FrameFormat.finalFrameIndex(partPlaintextLength);
        if (firstFrameIndex < 0 || frameCount < 1 || firstFrameIndex + frameCount - 1 > finalFrame) {
            throw new IllegalArgumentException("frames " + firstFrameIndex + "+" + frameCount
                    + " outside a part of " + partPlaintextLength + " bytes");
        }
        this.key = key.secretKey();
        this.identity = identity;
        this.partNumber = partNumber;
        this.partPlaintextLength = partPlaintextLength;
        this.nextFrame = firstFrameIndex;
        this.endFrame = firstFrameIndex + frameCount;
        this.aadNotFinal = FrameFormat.associatedData(identity, false);
        this.aadFinal = FrameFormat.associatedData(identity, true);
    }

    /** A run of exactly the frames of {@code segment}, as planned by {@link RangeMath}. */
    public static FrameDecryptor forSegment(KeyMaterial key, ObjectIdentity identity, RangeMath.Segment segment) {
        return new FrameDecryptor(key, identity, segment.partNumber(), segment.firstFrameIndex(),
                segment.frameCount(), segment.partPlaintextLength());
    }

    /**
     * Consumes all of {@code ciphertext}, handing the plaintext of every frame it completes to {@code out}.
     *
     * @throws CryptoException.Tampered if a frame fails its tag or bytes follow the run's last frame
     */
    public void update(ByteBuffer ciphertext, FrameSink out) {
        checkOpen();
        while (ciphertext.hasRemaining()) {
            if (nextFrame >= endFrame) {
                throw fail("unexpected bytes after frame " + (endFrame - 1));
            }
            int size = frameCiphertextSize(nextFrame);
            if (pendingLength == 0 && ciphertext.remaining() >= size) {
                int limit = ciphertext.limit();
                ciphertext.limit(ciphertext.position() + size);
                try {
                    open(ciphertext, out);
                } finally {
                    ciphertext.limit(limit);
                }
                continue;
            }
            if (pending == null) {
                pending = new byte[firstFrameSizeOrFull()];
            }
            int n = Math.min(ciphertext.remaining(), size - pendingLength);
            ciphertext.get(pending, pendingLength, n);
            pendingLength += n;
            if (pendingLength == size) {
                pendingLength = 0;
                open(ByteBuffer.wrap(pending, 0, size), out);
            }
        }
    }

    /** {@link #update(ByteBuffer, FrameSink)} into fresh heap arrays. */
    public void update(ByteBuffer ciphertext, Consumer<ByteBuffer> plaintextOut) {
        update(ciphertext, FrameSink.of(plaintextOut));
    }

    /**
     * Ends the run.
     *
     * @throws CryptoException.Tampered if the ciphertext ended inside a frame or before the run's last
     *                                  frame (for a run to the end of the part: the final frame)
     */
    public void finish() {
        checkOpen();
        if (pendingLength > 0) {
            throw fail("ciphertext ends inside frame " + nextFrame);
        }
        if (nextFrame < endFrame) {
            throw fail("ciphertext ends before frame " + nextFrame + (endFrame - 1 == finalFrame ? " (final frame missing)" : ""));
        }
        done = true;
    }

    /** The largest frame this run can gather: a whole frame, unless the run is one shorter frame. */
    private int firstFrameSizeOrFull() {
        return endFrame - nextFrame == 1 ? frameCiphertextSize(nextFrame) : FrameFormat.FRAME_CIPHERTEXT_SIZE;
    }

    private int frameCiphertextSize(long index) {
        return FrameFormat.framePlaintextSize(partPlaintextLength, index) + FrameFormat.TAG_SIZE;
    }

    /**
     * Decrypts and verifies one whole frame ({@code in} from position to limit, consumed) into a
     * buffer of the sink, handed on only after {@code doFinal} verified the tag.
     */
    private void open(ByteBuffer in, FrameSink out) {
        int size = in.remaining() - FrameFormat.TAG_SIZE;
        ByteBuffer plain = out.buffer(size);
        // this thread's cipher: init … doFinal run here with no callback between them
        Cipher cipher = Ciphers.threadGcm();
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, FrameFormat.nonce(partNumber, nextFrame)));
            cipher.updateAAD(nextFrame == finalFrame ? aadFinal : aadNotFinal);
            if (!plain.hasArray()) {
                // the sink's buffer gets the plaintext only once doFinal returned, i.e. the tag verified
                // (the thread's arrays are scratch: whatever a failing frame leaves there goes nowhere)
                byte[] array = PLAIN.get();
                if (in.hasArray()) {
                    cipher.doFinal(in.array(), in.arrayOffset() + in.position(), in.remaining(), array, 0);
                    in.position(in.limit());
                } else {
                    byte[] sealed = CIPHER.get();
                    int length = in.remaining();
                    in.get(sealed, 0, length);
                    cipher.doFinal(sealed, 0, length, array, 0);
                }
                plain.put(array, 0, size);
            } else {
                cipher.doFinal(in, plain);
            }
        } catch (AEADBadTagException e) {
            throw fail("frame " + nextFrame + " failed authentication");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
        nextFrame++;
        out.accept(plain.flip());
    }

    private CryptoException.Tampered fail(String what) {
        done = true;
        return new CryptoException.Tampered("bucket " + identity.bucket() + " key " + identity.key()
                + " part " + partNumber + ": " + what);
    }

    private void checkOpen() {
        if (done) {
            throw new IllegalStateException("decryptor already finished or failed");
        }
    }
}
