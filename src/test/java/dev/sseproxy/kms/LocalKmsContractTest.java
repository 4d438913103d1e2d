package dev.sseproxy.kms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.kms.local.KeystoreException;
import dev.sseproxy.kms.local.LocalKeystore;
import dev.sseproxy.kms.local.LocalKmsClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract suite against the local KMS, plus what only a keystore file can get wrong. */
class LocalKmsContractTest extends KmsContractTest {
    @TempDir
    Path dataDir;

    private final byte[] masterKey = random32();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private ExecutorService workers;
    private LocalKmsClient kms;

    @BeforeEach
    void open() {
        workers = Executors.newFixedThreadPool(2);
        kms = openWith(masterKey);
    }

    @AfterEach
    void stop() {
        workers.shutdownNow();
    }

    @Override
    protected KmsClient kms() {
        return kms;
    }

    private Path keystoreFile() {
        return LocalKeystore.defaultPath(dataDir.toString());
    }

    private LocalKmsClient openWith(byte[] master) {
        return new LocalKmsClient(new LocalKeystore(keystoreFile(), master), workers, clock);
    }

    private static byte[] random32() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    @Test
    void keysSurviveARestart() {
        KeyRef key = newKey();
        await(kms.rotateKey(key.name()));
        Wrapped w = await(kms.encrypt(key, new byte[] {3, 1, 4}, CTX));

        LocalKmsClient restarted = openWith(masterKey);
        assertEquals(new KeyInfo(key.name(), 2, 1), await(restarted.keyInfo(key.name())));
        try (Plaintext p = await(restarted.decrypt(key, w.ciphertext(), CTX))) {
            assertArrayEquals(new byte[] {3, 1, 4}, p.bytes());
        }
    }

    @Test
    void aKeystoreSealedUnderAnotherMasterKeyDoesNotOpen() {
        newKey();
        KeystoreException e = assertThrows(KeystoreException.class, () -> openWith(random32()));
        assertTrue(e.getMessage().contains("does not open with the configured master key"), e.getMessage());
        assertTrue(e.getMessage().contains(keystoreFile().toString()), e.getMessage());
    }

    @Test
    void aDamagedKeystoreDoesNotOpen() throws IOException {
        newKey();
        byte[] raw = Files.readAllBytes(keystoreFile());
        raw[raw.length - 20] ^= 1;
        Files.write(keystoreFile(), raw);
        assertThrows(KeystoreException.class, () -> openWith(masterKey));
    }

    @Test
    void aKeystoreOfAnUnknownFormatVersionIsRefused() throws IOException {
        newKey();
        byte[] raw = Files.readAllBytes(keystoreFile());
        raw[7] = 2;
        Files.write(keystoreFile(), raw);
        KeystoreException e = assertThrows(KeystoreException.class, () -> openWith(masterKey));
        assertTrue(e.getMessage().contains("format version 2"), e.getMessage());
    }

    @Test
    void noKeystoreFileUntilTheFirstKeyAndThenOwnerOnly() throws IOException {
        assertFalse(Files.exists(keystoreFile()));
        newKey();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keystoreFile())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keystoreFile().getParent())));
        try (Stream<Path> files = Files.list(keystoreFile().getParent())) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void theKeystoreIsSealedWholeNotEvenKeyNamesInClear() throws IOException {
        KeyRef key = newKey();
        String file = HexFormat.of().formatHex(Files.readAllBytes(keystoreFile()));
        assertTrue(file.startsWith(HexFormat.of().formatHex("SSEPKMS".getBytes(StandardCharsets.US_ASCII)) + "01"));
        assertFalse(file.contains(HexFormat.of().formatHex(key.name().getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void ciphertextsAreVersionedLocalStrings() {
        KeyRef key = newKey();
        await(kms.rotateKey(key.name()));
        try (DataKey dk = await(kms.generateDataKey(key, CTX))) {
            assertTrue(new String(dk.ciphertext(), StandardCharsets.US_ASCII).matches("local:v2:[A-Za-z0-9+/]+=*"));
        }
    }
}
