package dev.sseproxy.kms.local;

import io.smallrye.mutiny.Uni;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Where the shared keystore's rows live (PostgreSQL, tables of V13: {@code kms_local_key_version},
 * {@code kms_local_key_config}, {@code kms_local_master_key_check}; format and concurrency in the
 * package documentation), behind {@code dev.sseproxy.catalog.LocalKeystoreRows}. A port, so that
 * {@code kms} does not know the catalog. It stores and answers sealed bytes only: sealing, opening and
 * the check value are {@link SharedKeystore}'s and {@link MasterKeyCheck}'s.
 */
public interface KeystoreStorage {

    /** A stored version of a key, as sealed, with the key's minimum decryption version (null: none set). */
    record VersionRow(int version, OffsetDateTime createdAt, byte[] sealedMaterial, Integer minDecryptionVersion) {
    }

    /** The master key check value stored, and when the first node recorded it. */
    record StoredCheck(byte[] checkValue, OffsetDateTime createdAt) {
    }

    /** Every stored version of the key, in version order (empty when it has none). */
    Uni<List<VersionRow>> versions(String name);

    /** Inserts a sealed version; false when that name and number exist already (another node was first). */
    Uni<Boolean> insertVersion(String name, int version, OffsetDateTime createdAt, byte[] sealedMaterial);

    /** Sets the minimum decryption version; with {@code onlyRaise}, a higher stored one is kept. */
    Uni<Void> setMinDecryptionVersion(String name, int min, boolean onlyRaise);

    /** Records this check value when none is stored yet, then answers the one stored (this one or an earlier node's). */
    Uni<StoredCheck> recordMasterKeyCheck(byte[] checkValue, OffsetDateTime now);
}
