package dev.sseproxy.kms.local;

import dev.sseproxy.crypto.CryptoException;
import dev.sseproxy.crypto.SecretSealer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The local KMS keystore file ({@code <data-dir>/kms/keystore}) of sse-proxy versions before the keystore
 * moved into PostgreSQL: every key version, sealed under the master key. Today it is only read, at start,
 * to migrate it ({@link KeystoreMigration}); {@link #save} remains for tests that make such a file. All
 * methods block (file I/O); callers run them at start.
 *
 * <h2>Format, version 1</h2>
 * <pre>
 * file  = "SSEPKMS" (7 ASCII bytes) || 0x01 (format version)
 *         || SecretSealer.seal(body, aad = "sse-proxy kms keystore v1")
 *         (that is 0x01 || nonce(12) || AES-256-GCM(master key, body) || tag(16))
 * body  = u32 key count, then per key (sorted by name):
 *         u16 name length || name (UTF-8) || u32 min decryption version || u32 version count
 *         || per version (1..n): i64 created (epoch seconds) || 32 key bytes
 * </pre>
 * Integers are big-endian. Readers refuse any other magic or format version. The body is built
 * in one pre-sized array that is zeroed once sealed or parsed.
 *
 * <p>Writes are atomic: the sealed bytes go to a temporary file in the same directory, created
 * with mode 0600, forced to disk, then renamed over the keystore (the directory is created 0700).
 */
public final class LocalKeystore {
    private static final byte[] MAGIC = "SSEPKMS".getBytes(StandardCharsets.US_ASCII);
    private static final byte FORMAT = 1;
    private static final byte[] AAD = "sse-proxy kms keystore v1".getBytes(StandardCharsets.US_ASCII);

    private final Path file;
    private final SecretSealer sealer;

    /** @param masterKey 32 bytes; copied, the caller may wipe its array */
    public LocalKeystore(Path file, byte[] masterKey) {
        this.file = file.toAbsolutePath();
        this.sealer = new SecretSealer(masterKey);
    }

    /** {@code <dataDir>/kms/keystore}. */
    public static Path defaultPath(String dataDir) {
        return Path.of(dataDir, "kms", "keystore");
    }

    public Path file() {
        return file;
    }

    /** Reads every key; a missing file is an empty keyring. */
    Keyring load() {
        if (!Files.exists(file)) {
            return Keyring.EMPTY;
        }
        byte[] raw;
        try {
            raw = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new KeystoreException("cannot read KMS keystore " + file, e);
        }
        if (raw.length < MAGIC.length + 1 || !Arrays.equals(raw, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new KeystoreException("KMS keystore " + file + " is not an sse-proxy keystore");
        }
        if (raw[MAGIC.length] != FORMAT) {
            throw new KeystoreException("KMS keystore " + file + " has format version " + raw[MAGIC.length]
                    + ", this sse-proxy reads version " + FORMAT + " only");
        }
        byte[] body;
        try {
            body = sealer.open(Arrays.copyOfRange(raw, MAGIC.length + 1, raw.length), AAD);
        } catch (CryptoException e) {
            throw new KeystoreException("KMS keystore " + file + " does not open with the configured master key: "
                    + "it was sealed under another master key (check sse-proxy.master-key or <data-dir>/master.key), "
                    + "or it has been altered");
        }
        try {
            return decode(body);
        } catch (RuntimeException e) {
            throw new KeystoreException("KMS keystore " + file + " is damaged: its content does not parse");
        } finally {
            Arrays.fill(body, (byte) 0);
        }
    }

    /** Replaces the keystore with {@code keyring}, atomically. */
    void save(Keyring keyring) {
        byte[] body = encode(keyring);
        try {
            byte[] sealed = sealer.seal(body, AAD);
            ByteBuffer out = ByteBuffer.allocate(MAGIC.length + 1 + sealed.length).put(MAGIC).put(FORMAT).put(sealed);
            writeAtomically(out.array());
        } finally {
            Arrays.fill(body, (byte) 0);
        }
    }

    private static byte[] encode(Keyring keyring) {
        Map<String, LocalKey> sorted = new TreeMap<>(keyring.keys());
        int size = 4;
        for (LocalKey k : sorted.values()) {
            size += 2 + k.name().getBytes(StandardCharsets.UTF_8).length + 4 + 4
                    + k.versions().size() * (8 + KeyVersion.KEY_BYTES);
        }
        byte[] body = new byte[size];
        ByteBuffer b = ByteBuffer.wrap(body).putInt(sorted.size());
        for (LocalKey k : sorted.values()) {
            byte[] name = k.name().getBytes(StandardCharsets.UTF_8);
            b.putShort((short) name.length).put(name).putInt(k.minDecryptionVersion()).putInt(k.versions().size());
            for (KeyVersion v : k.versions()) {
                b.putLong(v.createdEpochSecond()).put(v.material());
            }
        }
        return body;
    }

    private static Keyring decode(byte[] body) {
        ByteBuffer b = ByteBuffer.wrap(body);
        int count = b.getInt();
        Map<String, LocalKey> keys = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            byte[] name = new byte[b.getShort() & 0xffff];
            b.get(name);
            int min = b.getInt();
            int versions = b.getInt();
            List<KeyVersion> list = new ArrayList<>(versions);
            for (int v = 1; v <= versions; v++) {
                long created = b.getLong();
                byte[] material = new byte[KeyVersion.KEY_BYTES];
                b.get(material);
                list.add(new KeyVersion(v, created, material));
            }
            String n = new String(name, StandardCharsets.UTF_8);
            keys.put(n, new LocalKey(n, list, min));
        }
        if (b.hasRemaining()) {
            throw new IllegalStateException("trailing bytes");
        }
        return new Keyring(keys);
    }

    private void writeAtomically(byte[] content) {
        Path dir = file.getParent();
        Path tmp = dir.resolve(file.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            createPrivateDirectory(dir);
            try (FileChannel ch = FileChannel.open(tmp,
                    Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), ownerOnly("rw-------"))) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(dir);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the original error is the one worth reporting
            }
            throw new KeystoreException("cannot write KMS keystore " + file, e);
        }
    }

    private static void createPrivateDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir.getParent());
        try {
            Files.createDirectory(dir, ownerOnly("rwx------"));
        } catch (FileAlreadyExistsException raced) {
            // another writer created it first
        }
    }

    private static FileAttribute<?>[] ownerOnly(String perms) {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(perms))};
    }

    /** Makes the rename durable where the platform allows opening a directory. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not supported on this platform: the rename itself is still atomic
        }
    }
}
