package dev.sseproxy.catalog;

import dev.sseproxy.kms.local.KeystoreStorage;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The local KMS's shared keystore in PostgreSQL (tables {@code kms_local_key_version},
 * {@code kms_local_key_config} and {@code kms_local_master_key_check}, migration V13): the one
 * implementation of {@link KeystoreStorage}. Holds sealed bytes only; the master key never reaches it.
 */
@ApplicationScoped
public class LocalKeystoreRows implements KeystoreStorage {
    private final Pool pool;

    public LocalKeystoreRows(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<List<VersionRow>> versions(String name) {
        return pool.preparedQuery("SELECT v.version, v.created_at, v.sealed_material, "
                + "(SELECT c.min_decryption_version FROM kms_local_key_config c WHERE c.key_name = $1) AS min_version "
                + "FROM kms_local_key_version v WHERE v.key_name = $1 ORDER BY v.version")
                .execute(Tuple.of(name)).map(rows -> {
                    List<VersionRow> out = new ArrayList<>(rows.size());
                    for (Row r : rows) {
                        out.add(new VersionRow(r.getInteger("version"), r.getOffsetDateTime("created_at"),
                                r.getBuffer("sealed_material").getBytes(), r.getInteger("min_version")));
                    }
                    return out;
                });
    }

    @Override
    public Uni<Boolean> insertVersion(String name, int version, OffsetDateTime createdAt, byte[] sealedMaterial) {
        return pool.preparedQuery("INSERT INTO kms_local_key_version (key_name, version, created_at, sealed_material) "
                + "VALUES ($1, $2, $3, $4) ON CONFLICT (key_name, version) DO NOTHING")
                .execute(Tuple.of(name, version, createdAt, Buffer.buffer(sealedMaterial)))
                .map(rows -> rows.rowCount() == 1);
    }

    @Override
    public Uni<Void> setMinDecryptionVersion(String name, int min, boolean onlyRaise) {
        String update = onlyRaise ? "GREATEST(kms_local_key_config.min_decryption_version, EXCLUDED.min_decryption_version)"
                : "EXCLUDED.min_decryption_version";
        return pool.preparedQuery("INSERT INTO kms_local_key_config (key_name, min_decryption_version) VALUES ($1, $2) "
                + "ON CONFLICT (key_name) DO UPDATE SET min_decryption_version = " + update)
                .execute(Tuple.of(name, min)).replaceWithVoid();
    }

    @Override
    public Uni<StoredCheck> recordMasterKeyCheck(byte[] checkValue, OffsetDateTime now) {
        return pool.preparedQuery("INSERT INTO kms_local_master_key_check (id, check_value, created_at) VALUES (1, $1, $2) "
                + "ON CONFLICT (id) DO NOTHING")
                .execute(Tuple.of(Buffer.buffer(checkValue), now))
                .chain(() -> pool.query("SELECT check_value, created_at FROM kms_local_master_key_check WHERE id = 1").execute())
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new StoredCheck(r.getBuffer("check_value").getBytes(), r.getOffsetDateTime("created_at"));
                });
    }
}
