package dev.sseproxy.crypto;

import static dev.sseproxy.crypto.Frames.F;
import static dev.sseproxy.crypto.Frames.ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** STYLE rule 8: every alteration of a stored body fails with Tampered and never yields wrong plaintext. */
class TamperTest {
    static final int FC = FrameFormat.FRAME_CIPHERTEXT_SIZE;
    static final KeyMaterial KEY = Frames.key(2);
    static final byte[] PT = Frames.plaintext(3 * F + 1000, 3);
    static final byte[] CT = Frames.encrypt(KEY, ID, 1, PT);

    /** Decrypts a whole part; the plaintext length is the envelope's (trusted) one unless given. */
    static void decrypt(byte[] ct) {
        decrypt(KEY, ID, 1, PT.length, ct);
    }

    static void decrypt(KeyMaterial key, ObjectIdentity id, int part, long length, byte[] ct) {
        Frames.decrypt(key, id, part, length, ct);
    }

    @Test
    void untouchedCiphertextDecrypts() {
        Frames.decrypt(KEY, ID, 1, PT.length, CT);
    }

    @Test
    void flippedByteInAnyFrameFailsAuthentication() {
        for (int frame = 0; frame < 4; frame++) {
            for (int offset : new int[] {0, 1, 777}) {
                byte[] ct = CT.clone();
                ct[frame * FC + offset] ^= 0x01;
                assertTampered(() -> decrypt(ct));
            }
        }
    }

    @Test
    void flippedTagByteFailsAuthentication() {
        for (int frame = 0; frame < 4; frame++) {
            int tagEnd = Math.min((frame + 1) * FC, CT.length);
            for (int i = tagEnd - 16; i < tagEnd; i++) {
                byte[] ct = CT.clone();
                ct[i] ^= (byte) 0x80;
                assertTampered(() -> decrypt(ct));
            }
        }
    }

    @Test
    void swappedFramesFailAuthentication() {
        byte[] ct = CT.clone();
        System.arraycopy(CT, FC, ct, 0, FC);
        System.arraycopy(CT, 0, ct, FC, FC);
        assertTampered(() -> decrypt(ct));
    }

    @Test
    void duplicatedFrameFailsAuthentication() {
        byte[] ct = CT.clone();
        System.arraycopy(CT, 0, ct, FC, FC);
        assertTampered(() -> decrypt(ct));
    }

    @Test
    void droppedLastFrameIsTamperedWhateverLengthTheReaderAssumes() {
        byte[] truncated = Arrays.copyOf(CT, 3 * FC);
        assertTampered(() -> decrypt(truncated));
        long lengthFromCiphertext = FrameFormat.plaintextLength(truncated.length);
        assertTampered(() -> decrypt(KEY, ID, 1, lengthFromCiphertext, truncated));
    }

    @Test
    void truncationInsideAFrameIsTampered() {
        assertTampered(() -> decrypt(Arrays.copyOf(CT, CT.length - 1)));
        assertTampered(() -> decrypt(Arrays.copyOf(CT, FC + 5)));
    }

    @Test
    void appendedFrameIsTamperedWhateverLengthTheReaderAssumes() {
        byte[] longer = Frames.encrypt(KEY, ID, 1, Arrays.copyOf(PT, PT.length + F));
        byte[] appended = Frames.concat(CT, Arrays.copyOfRange(longer, 3 * FC, 4 * FC));
        assertTampered(() -> decrypt(appended));
        long lengthFromCiphertext = FrameFormat.plaintextLength(appended.length);
        assertTampered(() -> decrypt(KEY, ID, 1, lengthFromCiphertext, appended));
    }

    @Test
    void blobMovedToAnotherKeyOrBucketFailsAuthentication() {
        assertTampered(() -> decrypt(KEY, new ObjectIdentity("photos", "2024/dog.jpg"), 1, PT.length, CT));
        assertTampered(() -> decrypt(KEY, new ObjectIdentity("photos2", "2024/cat.jpg"), 1, PT.length, CT));
        assertTampered(() -> decrypt(KEY, new ObjectIdentity("photos2", "024/cat.jpg"), 1, PT.length, CT));
    }

    @Test
    void framesDecryptedAsAnotherPartFailAuthentication() {
        assertTampered(() -> decrypt(KEY, ID, 2, PT.length, CT));
    }

    @Test
    void wrongKeyFailsAuthentication() {
        assertTampered(() -> decrypt(Frames.key(99), ID, 1, PT.length, CT));
    }

    @Test
    void noByteOfAFailedFrameIsEmittedAndEarlierFramesAreWhole() {
        byte[] ct = CT.clone();
        ct[2 * FC + 10] ^= 1;
        FrameDecryptor dec = new FrameDecryptor(KEY, ID, 1, 0, PT.length);
        Frames.Sink out = new Frames.Sink();
        assertThrows(CryptoException.Tampered.class, () -> dec.update(ByteBuffer.wrap(ct), out));
        assertEquals(2 * F, out.bytes().length);
        assertTrue(Arrays.equals(Arrays.copyOf(PT, 2 * F), out.bytes()));
        assertThrows(IllegalStateException.class, dec::finish, "a failed decryptor stays failed");
    }

    @Test
    void failureMessageNamesObjectPartAndFrameButNoKeyBytes() {
        byte[] ct = CT.clone();
        ct[FC + 3] ^= 1;
        CryptoException.Tampered e = assertThrows(CryptoException.Tampered.class, () -> decrypt(ct));
        assertTrue(e.getMessage().contains("photos") && e.getMessage().contains("2024/cat.jpg"), e.getMessage());
        assertTrue(e.getMessage().contains("part 1") && e.getMessage().contains("frame 1"), e.getMessage());
        String hexKey = HexFormat.of().formatHex(KEY.copyBytes());
        assertFalse(e.getMessage().toLowerCase().contains(hexKey.substring(0, 8)), e.getMessage());
    }

    static void assertTampered(Runnable decryption) {
        assertThrows(CryptoException.Tampered.class, decryption::run);
    }
}
