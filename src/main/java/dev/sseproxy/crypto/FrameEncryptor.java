package dev.sseproxy.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.function.Consumer;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts one part as a stream of 64 KiB frames (package specification, "Body: frames").
 * Accepts plaintext in any split; holds back at most one frame, because a full frame is the final
 * one only if no byte follows it. Each emitted {@link ByteBuffer} is one whole frame in a fresh
 * array that the consumer owns. Not thread-safe; one instance per part.
 */
public final class FrameEncryptor {
    private final SecretKeySpec key;
    private final int partNumber;
    private final byte[] aadNotFinal;
    private final byte[] aadFinal;
    private final Cipher cipher;
    private final byte[] pending = new byte[FrameFormat.FRAME_SIZE];
    private int pendingLength;
    private long nextFrame;
    private long plaintextBytes;
    private boolean finished;

    /**
     * @param key        the object (upload) key; must stay open while this encryptor is used
     * @param identity   the bucket and key the object is stored under
     * @param partNumber 1 for a single PUT, else the part number recorded in the part table
     */
    public FrameEncryptor(KeyMaterial key, ObjectIdentity identity, int partNumber) {
        FrameFormat.checkPartNumber(partNumber);
        this.key = key.secretKey();
        this.partNumber = partNumber;
        this.aadNotFinal = FrameFormat.associatedData(identity, false);
        this.aadFinal = FrameFormat.associatedData(identity, true);
        this.cipher = Ciphers.gcm();
    }

    /** Consumes all of {@code plaintext}, emitting every frame known not to be the final one. */
    public void update(ByteBuffer plaintext, Consumer<ByteBuffer> ciphertextOut) {
        checkOpen();
        plaintextBytes += plaintext.remaining();
        while (plaintext.hasRemaining()) {
            if (pendingLength == FrameFormat.FRAME_SIZE) {
                ciphertextOut.accept(seal(pending, 0, FrameFormat.FRAME_SIZE, false));
                pendingLength = 0;
            }
            if (pendingLength == 0 && plaintext.hasArray() && plaintext.remaining() > FrameFormat.FRAME_SIZE) {
                int at = plaintext.position();
                plaintext.position(at + FrameFormat.FRAME_SIZE);
                ciphertextOut.accept(seal(plaintext.array(), plaintext.arrayOffset() + at, FrameFormat.FRAME_SIZE, false));
                continue;
            }
            int n = Math.min(plaintext.remaining(), FrameFormat.FRAME_SIZE - pendingLength);
            plaintext.get(pending, pendingLength, n);
            pendingLength += n;
        }
    }

    /** Emits the final frame (an empty one if no plaintext came at all); the encryptor is then spent. */
    public void finish(Consumer<ByteBuffer> ciphertextOut) {
        checkOpen();
        finished = true;
        ciphertextOut.accept(seal(pending, 0, pendingLength, true));
        pendingLength = 0;
    }

    /** Plaintext bytes consumed so far. */
    public long plaintextBytes() {
        return plaintextBytes;
    }

    /** Encrypts one frame; the byte[] form of {@link Cipher#doFinal} is the one the JDK intrinsics speed up most. */
    private ByteBuffer seal(byte[] in, int offset, int length, boolean isFinal) {
        byte[] out = new byte[length + FrameFormat.TAG_SIZE];
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, FrameFormat.nonce(partNumber, nextFrame)));
            cipher.updateAAD(isFinal ? aadFinal : aadNotFinal);
            cipher.doFinal(in, offset, length, out, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
        nextFrame++;
        return ByteBuffer.wrap(out);
    }

    private void checkOpen() {
        if (finished) {
            throw new IllegalStateException("encryptor already finished");
        }
    }
}
