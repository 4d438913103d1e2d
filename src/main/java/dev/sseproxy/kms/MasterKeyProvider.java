package dev.sseproxy.kms;

import dev.sseproxy.config.SseProxyConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

/**
 * The master key of the embedded (local) KMS: from {@code sse-proxy.master-key} when set, else read
 * from {@code <data-dir>/master.key}, generated there on first start.
 *
 * <h2>The file</h2>
 * It is born with mode 0600: the key is written to a temporary file in the same directory that is
 * created with that mode (not created and then {@code chmod}ed, which leaves it readable under the
 * umask for a moment), forced to disk, then hard-linked to {@code master.key}, which fails if another
 * process made one first (its key is then used); the temporary name is removed. An existing file that
 * its group or others may read, write or execute is refused, and the proxy does not start: the key
 * opens every key of the local keystore, so whoever could read it could read every object. On a file
 * system without POSIX permissions both are left to the administrator.
 */
@ApplicationScoped
public class MasterKeyProvider {
    static final String FILE_NAME = "master.key";
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE);
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.complementOf(EnumSet.of(
            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
    private final byte[] key;
    private final String source;
    private final boolean generated;

    public MasterKeyProvider(SseProxyConfig config) {
        Path file = Path.of(config.dataDir(), FILE_NAME).toAbsolutePath();
        boolean existed = Files.exists(file);
        this.key = config.masterKey().map(MasterKeyProvider::decode).orElseGet(() -> loadOrCreate(file));
        this.generated = config.masterKey().isEmpty() && !existed;
        this.source = config.masterKey().isPresent() ? "sse-proxy.master-key (SSE_PROXY_MASTER_KEY)"
                : file + (generated ? " (generated at this start)" : "");
    }

    /** Where the key came from, for messages: the setting, or the key file (and whether it was made now). */
    public String source() {
        return source;
    }

    /** Whether this start generated {@code <data-dir>/master.key} (no key was configured and there was no file). */
    public boolean generatedAtThisStart() {
        return generated;
    }

    /** A copy of the 32-byte master key. */
    public byte[] masterKey() {
        return key.clone();
    }

    private static byte[] decode(String b64) {
        byte[] k = Base64.getDecoder().decode(b64.trim());
        if (k.length != 32) {
            throw new IllegalArgumentException("sse-proxy.master-key must be base64 of 32 bytes");
        }
        return k;
    }

    /**
     * The key in {@code file}, made there (mode 0600) when there is none.
     *
     * @throws IllegalStateException when the existing file is open to its group or to others
     */
    static byte[] loadOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                create(file);
            }
            checkOwnerOnly(file);
            return decode(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create master key " + file, e);
        }
    }

    private static void create(Path file) throws IOException {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        byte[] encoded = Base64.getEncoder().encode(k);
        Arrays.fill(k, (byte) 0);
        Path dir = file.toAbsolutePath().getParent();
        Path temp = posix(dir) ? Files.createTempFile(dir, ".master.key.", ".tmp", ownerOnly())
                : Files.createTempFile(dir, ".master.key.", ".tmp");
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(encoded);
                while (b.hasRemaining()) {
                    out.write(b);
                }
                out.force(true);
            }
            try {
                Files.createLink(file, temp); // atomic, and never replaces a key another process made
            } catch (FileAlreadyExistsException raced) {
                // another process made the key first: use that one
            } catch (UnsupportedOperationException noLinks) {
                Files.move(temp, file);
            }
        } finally {
            Arrays.fill(encoded, (byte) 0);
            Files.deleteIfExists(temp);
        }
    }

    /** Refuses a key file its group or others may use in any way. */
    private static void checkOwnerOnly(Path file) throws IOException {
        if (!posix(file)) {
            return; // non-POSIX file system: permissions are the administrator's business
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
        if (mode.stream().anyMatch(GROUP_OR_OTHERS::contains)) {
            throw new IllegalStateException("The master key file " + file.toAbsolutePath() + " has mode "
                    + PosixFilePermissions.toString(mode) + ": its group or others may use it, and it opens every "
                    + "key of the local KMS. sse-proxy does not start until only its owner can read it: run "
                    + "'chmod 600 " + file.toAbsolutePath() + "' (and consider the key exposed if others could read it).");
        }
    }

    private static boolean posix(Path path) {
        return Files.getFileAttributeView(path, PosixFileAttributeView.class) != null;
    }

    private static FileAttribute<Set<PosixFilePermission>> ownerOnly() {
        return PosixFilePermissions.asFileAttribute(OWNER_ONLY);
    }
}
