package dev.sseproxy.kms;

import dev.sseproxy.config.SseProxyConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The master key of the embedded (local) KMS: from {@code sse-proxy.master-key} when set, else read
 * from {@code <data-dir>/master.key}, generated there (mode 0600) on first start.
 */
@ApplicationScoped
public class MasterKeyProvider {
    private final byte[] key;

    public MasterKeyProvider(SseProxyConfig config) {
        this.key = config.masterKey().map(MasterKeyProvider::decode)
                .orElseGet(() -> loadOrCreate(Path.of(config.dataDir(), "master.key")));
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

    private static byte[] loadOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                return decode(Files.readString(file));
            }
            Files.createDirectories(file.getParent());
            byte[] k = new byte[32];
            new SecureRandom().nextBytes(k);
            Files.writeString(file, Base64.getEncoder().encodeToString(k), StandardOpenOption.CREATE_NEW);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // non-POSIX file system: permissions are the administrator's business
            }
            return k;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create master key " + file, e);
        }
    }
}
