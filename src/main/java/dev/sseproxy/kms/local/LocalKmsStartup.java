package dev.sseproxy.kms.local;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * Opens the local KMS at start: checks the master key against the shared keystore, migrates a keystore
 * file of the data dir, and returns the client. Waits for the database on the calling thread, so it
 * must not run on an event loop (Quarkus builds it on the main thread at start).
 */
public final class LocalKmsStartup {
    private static final Logger LOG = Logger.getLogger(LocalKmsStartup.class);
    private static final Duration WAIT = Duration.ofSeconds(60);

    private LocalKmsStartup() {
    }

    /**
     * @param rows the keystore's rows (the catalog's {@code LocalKeystoreRows})
     * @param masterKey 32 bytes; copied, the caller may wipe its array
     * @param masterKeySource where the key came from (a setting, a file), for messages
     * @param generatedHere whether the key file was generated at this start
     * @param keystoreFile the keystore file of format v1 to migrate when it exists
     * @throws KeystoreException when the master key is not the shared keystore's, or the file does not migrate
     */
    public static LocalKmsClient open(KeystoreStorage rows, byte[] masterKey, String masterKeySource, boolean generatedHere,
            Path keystoreFile, Executor blockingExecutor, Clock clock) {
        if (io.vertx.core.Context.isOnEventLoopThread()) {
            throw new IllegalStateException("the local KMS must be opened off the event loop");
        }
        long started = System.nanoTime();
        // the file first: one that does not open stops the start before anything is recorded
        Optional<Keyring> file = KeystoreMigration.read(new LocalKeystore(keystoreFile, masterKey));
        MasterKeyCheck.verify(rows, masterKey, masterKeySource, generatedHere).await().atMost(WAIT);
        SharedKeystore store = new SharedKeystore(rows, masterKey);
        file.ifPresent(ring -> KeystoreMigration.migrate(keystoreFile.toAbsolutePath(), ring, store, clock, WAIT));
        LOG.infof("KMS: local keystore in PostgreSQL, master key fingerprint %s (from %s); opened in %d ms",
                MasterKeyCheck.fingerprint(masterKey), masterKeySource, (System.nanoTime() - started) / 1_000_000);
        return new LocalKmsClient(store, blockingExecutor, clock);
    }
}
