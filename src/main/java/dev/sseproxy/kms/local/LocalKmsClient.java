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
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;

/**
 * The embedded KMS: Transit semantics (named AES-256-GCM keys with versions, rotation, a minimum
 * decryption version) on the JDK, with every key version kept in a {@link LocalKeystore} sealed under
 * the master key. Ciphertexts are {@link LocalCiphertext}s; the encryption context is bound as AES-GCM
 * associated data.
 *
 * <p>Threads: the constructor reads the keystore (blocking: build it at start, off the event loop).
 * Cryptographic calls touch only memory and run on the caller's thread. Creating, rotating and
 * reconfiguring a key rewrite the keystore on {@code blockingExecutor}, one at a time; readers see
 * the new keyring only once it is on disk.
 */
public final class LocalKmsClient implements KmsClient {
    private final LocalKeystore keystore;
    private final Executor blockingExecutor;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Object writeLock = new Object();
    private volatile Keyring keyring;

    public LocalKmsClient(LocalKeystore keystore, Executor blockingExecutor, Clock clock) {
        this.keystore = keystore;
        this.blockingExecutor = blockingExecutor;
        this.clock = clock;
        this.keyring = keystore.load();
    }

    @Override
    public Uni<DataKey> generateDataKey(KeyRef key, Map<String, String> encryptionContext) {
        return Uni.createFrom().item(() -> {
            LocalKey k = require(key.name());
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
        return Uni.createFrom().item(() -> {
            LocalKey k = require(key.name());
            return new Wrapped(LocalCiphertext.seal(k.latest(), k.name(), encryptionContext, plaintext, random),
                    k.latestVersion());
        });
    }

    @Override
    public Uni<Plaintext> decrypt(KeyRef key, byte[] ciphertext, Map<String, String> encryptionContext) {
        return Uni.createFrom().item(() -> open(require(key.name()), ciphertext, encryptionContext));
    }

    @Override
    public Uni<Wrapped> rewrap(KeyRef key, byte[] ciphertext, Map<String, String> encryptionContext) {
        return Uni.createFrom().item(() -> {
            LocalKey k = require(key.name());
            try (Plaintext p = open(k, ciphertext, encryptionContext)) {
                return new Wrapped(LocalCiphertext.seal(k.latest(), k.name(), encryptionContext, p.bytes(), random),
                        k.latestVersion());
            }
        });
    }

    @Override
    public Uni<KeyInfo> createKey(String name) {
        return mutate(name, (ring, n) -> ring.find(n).isPresent() ? ring : ring.with(LocalKey.create(n, newVersion(1))));
    }

    @Override
    public Uni<KeyInfo> rotateKey(String name) {
        return mutate(name, (ring, n) -> {
            LocalKey k = require(ring, n);
            return ring.with(k.rotated(newVersion(k.latestVersion() + 1)));
        });
    }

    @Override
    public Uni<KeyInfo> keyInfo(String name) {
        return Uni.createFrom().item(() -> require(KeyRef.of(name).name()).info());
    }

    @Override
    public Uni<KeyInfo> setMinDecryptionVersion(String name, int minDecryptionVersion) {
        return mutate(name, (ring, n) -> {
            LocalKey k = require(ring, n);
            if (minDecryptionVersion < 1 || minDecryptionVersion > k.latestVersion()) {
                throw new IllegalArgumentException("minimum decryption version must be between 1 and the latest version "
                        + k.latestVersion());
            }
            return ring.with(k.withMinDecryptionVersion(minDecryptionVersion));
        });
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

    /** Applies {@code change} under the write lock, persists the result, then publishes it. */
    private Uni<KeyInfo> mutate(String keyName, BiFunction<Keyring, String, Keyring> change) {
        return Uni.createFrom().item(() -> {
            String name = KeyRef.of(keyName).name();
            synchronized (writeLock) {
                Keyring current = keyring;
                Keyring next = change.apply(current, name);
                if (next != current) {
                    keystore.save(next);
                    keyring = next;
                }
                return require(next, name).info();
            }
        }).runSubscriptionOn(blockingExecutor);
    }

    private KeyVersion newVersion(int number) {
        byte[] material = new byte[KeyVersion.KEY_BYTES];
        random.nextBytes(material);
        return new KeyVersion(number, clock.instant().getEpochSecond(), material);
    }

    private LocalKey require(String name) {
        return require(keyring, name);
    }

    private static LocalKey require(Keyring ring, String name) {
        return ring.find(name).orElseThrow(() -> new KmsException.NotFound("KMS key '" + name + "' does not exist"));
    }
}
