package dev.sseproxy.kms.local;

import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Moves a keystore file of format v1 ({@link LocalKeystore}) into the {@link SharedKeystore} at start,
 * then renames the file {@code keystore.migrated-<UTC timestamp>} (see the package documentation).
 * Idempotent: versions already in the database with the same material are left as they are.
 */
final class KeystoreMigration {
    private static final Logger LOG = Logger.getLogger(KeystoreMigration.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private KeystoreMigration() {
    }

    /** What a migration did: keys and versions in the file, versions inserted, where the file went. */
    record Result(int keys, int versions, int inserted, Path renamedTo) {
    }

    /** The keys of {@code file} (opened with the master key), or empty when there is no such file. */
    static Optional<Keyring> read(LocalKeystore file) {
        return Files.exists(file.file()) ? Optional.of(file.load()) : Optional.empty();
    }

    /**
     * Migrates the keys {@code ring} read from {@code file}, then renames the file.
     *
     * @throws KeystoreException (in the Uni) when a key of the same name and version has other material in
     *         the database; the file is then left where it is
     */
    static Uni<Result> migrate(Path file, Keyring ring, SharedKeystore store, Clock clock) {
        return Uni.createFrom().deferred(() -> {
            List<Uni<Integer>> perKey = new ArrayList<>();
            for (LocalKey key : ring.keys().values()) {
                perKey.add(migrateKey(key, store, file));
            }
            Uni<List<Integer>> all = perKey.isEmpty() ? Uni.createFrom().item(List.of())
                    : Uni.join().all(perKey).usingConcurrencyOf(1).andFailFast();
            return all.map(counts -> {
                int inserted = counts.stream().mapToInt(Integer::intValue).sum();
                int versions = ring.keys().values().stream().mapToInt(k -> k.versions().size()).sum();
                Path renamed = rename(file, clock);
                LOG.infof("local KMS: migrated %d keys (%d versions, %d new in the database) from %s into PostgreSQL; "
                        + "the file is now %s", ring.keys().size(), versions, inserted, file, renamed);
                return new Result(ring.keys().size(), versions, inserted, renamed);
            });
        });
    }

    /** Inserts each version of {@code key}, then checks that the database holds the file's material. */
    private static Uni<Integer> migrateKey(LocalKey key, SharedKeystore store, Path file) {
        List<Uni<Boolean>> inserts = new ArrayList<>();
        for (KeyVersion v : key.versions()) {
            inserts.add(store.insert(key.name(), v));
        }
        return Uni.join().all(inserts).usingConcurrencyOf(1).andFailFast()
                .chain(done -> store.setMinDecryptionVersion(key.name(), key.minDecryptionVersion(), true)
                        .replaceWith(done))
                .chain(done -> store.load(key.name()).map(stored -> {
                    LocalKey db = stored.orElseThrow();
                    for (KeyVersion v : key.versions()) {
                        if (db.latestVersion() < v.number()
                                || !MessageDigest.isEqual(db.version(v.number()).material(), v.material())) {
                            throw new KeystoreException("sse-proxy does not start: the KMS keystore file " + file
                                    + " holds key '" + key.name() + "' version " + v.number() + ", and the shared keystore "
                                    + "in PostgreSQL holds other key material under that name and version (two nodes each "
                                    + "made their own key of that name before the keystore was shared). Data encrypted under "
                                    + "one of them cannot be read with the other; nothing was changed. Decide which key is "
                                    + "in use, then move this file aside (or delete that key's rows from "
                                    + "kms_local_key_version) and start again.");
                        }
                    }
                    return (int) done.stream().filter(Boolean::booleanValue).count();
                }));
    }

    private static Path rename(Path file, Clock clock) {
        String base = file.getFileName() + ".migrated-" + STAMP.format(clock.instant());
        Path target = file.resolveSibling(base);
        for (int i = 2; Files.exists(target); i++) {
            target = file.resolveSibling(base + "-" + i);
        }
        try {
            return Files.move(file, target);
        } catch (IOException e) {
            throw new KeystoreException("the KMS keystore file " + file + " was migrated into PostgreSQL but cannot be "
                    + "renamed to " + target + "; rename it by hand", e);
        }
    }
}
