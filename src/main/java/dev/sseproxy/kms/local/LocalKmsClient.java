package dev.sseproxy.kms.local;

import dev.sseproxy.kms.DataKey;
import dev.sseproxy.kms.KeyInfo;
import dev.sseproxy.kms.KeyRef;
import dev.sseproxy.kms.KmsClient;
import dev.sseproxy.kms.KmsException;
import dev.sseproxy.kms.Plaintext;
import dev.sseproxy.kms.Wrapped;
import io.smallrye.mutiny.Uni;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * The embedded KMS: Transit semantics (named AES-256-GCM keys with versions, rotation, a minimum
 * decryption version) on the JDK, with every key version kept in the {@link SharedKeystore} (PostgreSQL,
 * sealed under the master key) that all nodes share. Ciphertexts are {@link LocalCiphertext}s; the
 * encryption context is bound as AES-GCM associated data.
 *
 * <p>Cache and threads (see the package documentation): keys this node has used are kept decrypted in
 * memory; cryptographic calls on a known key touch only memory and run on the caller's thread. A miss
 * (unknown key, or a ciphertext of a version newer than the cached latest) loads the key from the
 * database through the reactive pool and the result is emitted on {@code blockingExecutor}, as the Vault
 * adapter's are; absence is never cached. Creating, rotating, reconfiguring a key and {@code keyInfo}
 * always go to the database.
 */
public final class LocalKmsClient implements KmsClient {
    /** A cached key older than this is reloaded in the background on its next use. */
    public static final Duration REFRESH_AFTER = Duration.ofSeconds(5);
    private static final int MAX_ROTATION_TRIES = 20;
    private static final Logger LOG = Logger.getLogger(LocalKmsClient.class);

    private final SharedKeystore store;
    private final Executor blockingExecutor;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    /** A key as loaded at {@code loadedNanos}; {@code refreshing} lets one background reload run at a time. */
    private record Cached(LocalKey key, long loadedNanos, AtomicBoolean refreshing) {
    }

    public LocalKmsClient(SharedKeystore store, Executor blockingExecutor, Clock clock) {
        this(store, blockingExecutor, clock, System::nanoTime);
    }

    LocalKmsClient(SharedKeystore store, Executor blockingExecutor, Clock clock, LongSupplier nanoTime) {
        this.store = store;
        this.blockingExecutor = blockingExecutor;
        this.clock = clock;
        this.nanoTime = nanoTime;
    }

    @Override
    public Uni<DataKey> generateDataKey(KeyRef key, Map<String, String> encryptionContext) {
        return withKey(key.name(), k -> {
            byte[] material = new byte[DataKey.LENGTH];
            random.nextBytes(material);
            Plaintext plaintext = Plaintext.wrap(material);
            try {
                byte[] ct = LocalCiphertext.seal(k.latest(), k.name(), encryptionContext, material, random);
                return new DataKey(plaintext, ct, k.latestVersion());
            } catch (RuntimeException e) {
                plaintext.close();
                throw e;
            }
        });
    }

    @Override
    public Uni<Wrapped> encrypt(KeyRef key, byte[] plaintext, Map<String, String> encryptionContext) {
        return withKey(key.name(), k -> new Wrapped(
                LocalCiphertext.seal(k.latest(), k.name(), encryptionContext, plaintext, random), k.latestVersion()));
    }

    @Override
    public Uni<Plaintext> decrypt(KeyRef key, byte[] ciphertext, Map<String, String> encryptionContext) {
        return withVersionOf(key.name(), ciphertext, k -> open(k, ciphertext, encryptionContext));
    }

    @Override
    public Uni<Wrapped> rewrap(KeyRef key, byte[] ciphertext, Map<String, String> encryptionContext) {
        return withVersionOf(key.name(), ciphertext, k -> {
            try (Plaintext p = open(k, ciphertext, encryptionContext)) {
                return new Wrapped(LocalCiphertext.seal(k.latest(), k.name(), encryptionContext, p.bytes(), random),
                        k.latestVersion());
            }
        });
    }

    @Override
    public Uni<KeyInfo> createKey(String name) {
        return Uni.createFrom().deferred(() -> {
            String n = KeyRef.of(name).name();
            return guarded(store.insert(n, newVersion(1)).chain(inserted -> reload(n)), n)
                    .map(k -> require(k, n).info()).emitOn(blockingExecutor);
        });
    }

    @Override
    public Uni<KeyInfo> rotateKey(String name) {
        return Uni.createFrom().deferred(() -> {
            String n = KeyRef.of(name).name();
            return guarded(rotate(n, 1), n).map(k -> k.info()).emitOn(blockingExecutor);
        });
    }

    /** Inserts the version after the latest in the database; another node's insert of that number makes it try the next. */
    private Uni<LocalKey> rotate(String name, int attempt) {
        return reload(name).chain(found -> {
            LocalKey k = require(found, name);
            return store.insert(name, newVersion(k.latestVersion() + 1)).chain(inserted -> {
                if (inserted) {
                    return reload(name).map(again -> require(again, name));
                }
                if (attempt >= MAX_ROTATION_TRIES) {
                    return Uni.createFrom().failure(new KmsException.Unavailable("KMS key '" + name + "' could not be "
                            + "rotated: " + MAX_ROTATION_TRIES + " concurrent rotations took the next version first"));
                }
                return rotate(name, attempt + 1);
            });
        });
    }

    @Override
    public Uni<KeyInfo> keyInfo(String name) {
        return Uni.createFrom().deferred(() -> {
            String n = KeyRef.of(name).name();
            return guarded(reload(n), n).map(k -> require(k, n).info()).emitOn(blockingExecutor);
        });
    }

    @Override
    public Uni<KeyInfo> setMinDecryptionVersion(String name, int minDecryptionVersion) {
        return Uni.createFrom().deferred(() -> {
            String n = KeyRef.of(name).name();
            return guarded(reload(n).chain(found -> {
                LocalKey k = require(found, n);
                if (minDecryptionVersion < 1 || minDecryptionVersion > k.latestVersion()) {
                    throw new IllegalArgumentException("minimum decryption version must be between 1 and the latest version "
                            + k.latestVersion());
                }
                return store.setMinDecryptionVersion(n, minDecryptionVersion, false).chain(() -> reload(n));
            }), n).map(k -> require(k, n).info()).emitOn(blockingExecutor);
        });
    }

    /** Applies {@code use} to the cached key, loading it from the database on a miss. */
    private <T> Uni<T> withKey(String name, Function<LocalKey, T> use) {
        return Uni.createFrom().deferred(() -> {
            Cached c = cache.get(name);
            if (c != null) {
                refreshIfOld(name, c);
                return Uni.createFrom().item(() -> use.apply(c.key()));
            }
            return guarded(reload(name), name).emitOn(blockingExecutor).map(k -> use.apply(require(k, name)));
        });
    }

    /**
     * As {@link #withKey}, and loads the key again when the ciphertext names a version the cached key does
     * not have (rotated on another node) or one below its minimum (lowered on another node).
     */
    private <T> Uni<T> withVersionOf(String name, byte[] ciphertext, Function<LocalKey, T> use) {
        return Uni.createFrom().deferred(() -> {
            Cached c = cache.get(name);
            if (c != null) {
                int version = LocalCiphertext.parse(name, ciphertext).version();
                if (version <= c.key().latestVersion() && version >= c.key().minDecryptionVersion()) {
                    refreshIfOld(name, c);
                    return Uni.createFrom().item(() -> use.apply(c.key()));
                }
            }
            return guarded(reload(name), name).emitOn(blockingExecutor).map(k -> use.apply(require(k, name)));
        });
    }

    private void refreshIfOld(String name, Cached c) {
        if (nanoTime.getAsLong() - c.loadedNanos() > REFRESH_AFTER.toNanos() && c.refreshing().compareAndSet(false, true)) {
            reload(name).subscribe().with(k -> { }, e -> {
                c.refreshing().set(false);
                LOG.debugf("background reload of local KMS key %s failed: %s", name, e.toString());
            });
        }
    }

    /** The key as in the database now, cached when present (absence is not cached). */
    private Uni<Optional<LocalKey>> reload(String name) {
        long started = nanoTime.getAsLong();
        return store.load(name).invoke(found -> found.ifPresent(
                k -> cache.put(name, new Cached(k, started, new AtomicBoolean()))));
    }

    /** Database failures become {@code Unavailable}; KMS and keystore failures pass as they are. */
    private static <T> Uni<T> guarded(Uni<T> work, String name) {
        return work.onFailure(e -> !(e instanceof KmsException || e instanceof KeystoreException
                || e instanceof IllegalArgumentException))
                .transform(e -> new KmsException.Unavailable("local KMS keystore (PostgreSQL) unavailable for key '"
                        + name + "': " + e.getClass().getSimpleName(), e));
    }

    private Plaintext open(LocalKey k, byte[] ciphertext, Map<String, String> context) {
        LocalCiphertext.Parsed parsed = LocalCiphertext.parse(k.name(), ciphertext);
        if (parsed.version() > k.latestVersion()) {
            throw new KmsException.InvalidCiphertext("ciphertext of key '" + k.name() + "' names version "
                    + parsed.version() + ", which does not exist");
        }
        if (parsed.version() < k.minDecryptionVersion()) {
            throw new KmsException.InvalidCiphertext("ciphertext of key '" + k.name() + "' is of version "
                    + parsed.version() + ", below the key's minimum decryption version " + k.minDecryptionVersion());
        }
        return LocalCiphertext.open(k.version(parsed.version()), k.name(), context, parsed.sealed());
    }

    private KeyVersion newVersion(int number) {
        byte[] material = new byte[KeyVersion.KEY_BYTES];
        random.nextBytes(material);
        return new KeyVersion(number, clock.instant().getEpochSecond(), material);
    }

    private static LocalKey require(Optional<LocalKey> found, String name) {
        return found.orElseThrow(() -> new KmsException.NotFound("KMS key '" + name + "' does not exist"));
    }
}
