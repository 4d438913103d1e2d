package dev.sseproxy.kms.local;

import dev.sseproxy.crypto.CryptoException;
import dev.sseproxy.crypto.SecretSealer;
import io.smallrye.mutiny.Uni;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The local KMS keystore in PostgreSQL (tables of V13; format and concurrency in the package
 * documentation): reads keys, inserts versions, sets the minimum decryption version. Seals and opens
 * here, under the master key; the rows are {@link KeystoreStorage}'s (the catalog's), whose every call
 * goes through the reactive pool and never blocks a thread.
 */
public final class SharedKeystore {
    private static final byte[] AAD_PREFIX = "sse-proxy kms key v1".getBytes(StandardCharsets.US_ASCII);

    private final KeystoreStorage rows;
    private final SecretSealer sealer;

    /** @param masterKey 32 bytes; copied, the caller may wipe its array */
    public SharedKeystore(KeystoreStorage rows, byte[] masterKey) {
        this.rows = rows;
        this.sealer = new SecretSealer(masterKey);
    }

    /** The key as stored now, every version decrypted; empty when it has no version. */
    Uni<Optional<LocalKey>> load(String name) {
        return rows.versions(name).map(stored -> decode(name, stored));
    }

    /** Inserts a version; false when that name and number exist already (another node was first). */
    Uni<Boolean> insert(String name, KeyVersion version) {
        byte[] sealed = sealer.seal(version.material(), aad(name, version.number()));
        return rows.insertVersion(name, version.number(),
                OffsetDateTime.ofInstant(Instant.ofEpochSecond(version.createdEpochSecond()), ZoneOffset.UTC), sealed);
    }

    /** Sets the minimum decryption version; with {@code onlyRaise}, a higher stored one is kept. */
    Uni<Void> setMinDecryptionVersion(String name, int min, boolean onlyRaise) {
        return rows.setMinDecryptionVersion(name, min, onlyRaise);
    }

    private Optional<LocalKey> decode(String name, List<KeystoreStorage.VersionRow> stored) {
        List<KeyVersion> versions = new ArrayList<>(stored.size());
        int min = 1;
        for (KeystoreStorage.VersionRow r : stored) {
            int number = r.version();
            if (number != versions.size() + 1) {
                throw new KeystoreException("local KMS key '" + name + "' has no version " + (versions.size() + 1)
                        + " in the database (table kms_local_key_version): the keystore is damaged");
            }
            Integer m = r.minDecryptionVersion();
            min = m == null ? 1 : m;
            byte[] material;
            try {
                material = sealer.open(r.sealedMaterial(), aad(name, number));
            } catch (CryptoException e) {
                throw new KeystoreException("local KMS key '" + name + "' version " + number + " does not open with "
                        + "this node's master key: the row was altered or moved, or sealed under another master key");
            }
            try {
                versions.add(new KeyVersion(number, r.createdAt().toEpochSecond(), material.clone()));
            } finally {
                Arrays.fill(material, (byte) 0);
            }
        }
        if (versions.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new LocalKey(name, versions, Math.min(min, versions.size())));
    }

    /** {@code "sse-proxy kms key v1" || 0x00 || UTF-8(name) || 0x00 || u32 version}. */
    static byte[] aad(String name, int version) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(AAD_PREFIX.length + 1 + n.length + 1 + 4).put(AAD_PREFIX).put((byte) 0).put(n)
                .put((byte) 0).putInt(version).array();
    }
}
