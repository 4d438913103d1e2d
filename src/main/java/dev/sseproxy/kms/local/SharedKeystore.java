package dev.sseproxy.kms.local;

import dev.sseproxy.crypto.CryptoException;
import dev.sseproxy.crypto.SecretSealer;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
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
 * documentation): reads keys, inserts versions, sets the minimum decryption version. Every call goes
 * through the reactive pool and never blocks a thread.
 */
public final class SharedKeystore {
    private static final byte[] AAD_PREFIX = "sse-proxy kms key v1".getBytes(StandardCharsets.US_ASCII);

    private final Pool pool;
    private final SecretSealer sealer;

    /** @param masterKey 32 bytes; copied, the caller may wipe its array */
    public SharedKeystore(Pool pool, byte[] masterKey) {
        this.pool = pool;
        this.sealer = new SecretSealer(masterKey);
    }

    Pool pool() {
        return pool;
    }

    /** The key as stored now, every version decrypted; empty when it has no version. */
    Uni<Optional<LocalKey>> load(String name) {
        return pool.preparedQuery("SELECT v.version, v.created_at, v.sealed_material, "
                + "(SELECT c.min_decryption_version FROM kms_local_key_config c WHERE c.key_name = $1) AS min_version "
                + "FROM kms_local_key_version v WHERE v.key_name = $1 ORDER BY v.version")
                .execute(Tuple.of(name)).map(rows -> decode(name, rows));
    }

    /** Inserts a version; false when that name and number exist already (another node was first). */
    Uni<Boolean> insert(String name, KeyVersion version) {
        byte[] sealed = sealer.seal(version.material(), aad(name, version.number()));
        return pool.preparedQuery("INSERT INTO kms_local_key_version (key_name, version, created_at, sealed_material) "
                + "VALUES ($1, $2, $3, $4) ON CONFLICT (key_name, version) DO NOTHING")
                .execute(Tuple.of(name, version.number(),
                        OffsetDateTime.ofInstant(Instant.ofEpochSecond(version.createdEpochSecond()), ZoneOffset.UTC),
                        Buffer.buffer(sealed)))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Sets the minimum decryption version; with {@code onlyRaise}, a higher stored one is kept. */
    Uni<Void> setMinDecryptionVersion(String name, int min, boolean onlyRaise) {
        String update = onlyRaise ? "GREATEST(kms_local_key_config.min_decryption_version, EXCLUDED.min_decryption_version)"
                : "EXCLUDED.min_decryption_version";
        return pool.preparedQuery("INSERT INTO kms_local_key_config (key_name, min_decryption_version) VALUES ($1, $2) "
                + "ON CONFLICT (key_name) DO UPDATE SET min_decryption_version = " + update)
                .execute(Tuple.of(name, min)).replaceWithVoid();
    }

    private Optional<LocalKey> decode(String name, RowSet<Row> rows) {
        List<KeyVersion> versions = new ArrayList<>(rows.size());
        int min = 1;
        for (Row r : rows) {
            int number = r.getInteger("version");
            if (number != versions.size() + 1) {
                throw new KeystoreException("local KMS key '" + name + "' has no version " + (versions.size() + 1)
                        + " in the database (table kms_local_key_version): the keystore is damaged");
            }
            Integer m = r.getInteger("min_version");
            min = m == null ? 1 : m;
            byte[] material;
            try {
                material = sealer.open(r.getBuffer("sealed_material").getBytes(), aad(name, number));
            } catch (CryptoException e) {
                throw new KeystoreException("local KMS key '" + name + "' version " + number + " does not open with "
                        + "this node's master key: the row was altered or moved, or sealed under another master key");
            }
            try {
                versions.add(new KeyVersion(number, r.getOffsetDateTime("created_at").toEpochSecond(), material.clone()));
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
