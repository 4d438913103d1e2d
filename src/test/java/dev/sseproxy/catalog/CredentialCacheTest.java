package dev.sseproxy.catalog;

import dev.sseproxy.kms.MutableClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.kms.DataKey;
import dev.sseproxy.kms.KeyInfo;
import dev.sseproxy.kms.KeyRef;
import dev.sseproxy.kms.KmsClient;
import dev.sseproxy.kms.Plaintext;
import dev.sseproxy.kms.Wrapped;
import dev.sseproxy.kms.local.PgTestKeystore;
import dev.sseproxy.kms.local.LocalKmsClient;
import io.smallrye.mutiny.Uni;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Credentials are opened once per access key and TTL: the KMS is not asked per request. */
class CredentialCacheTest {
    static final KeyRef KEY = KeyRef.of("sse-proxy-secrets");

    final PgTestKeystore keystore = new PgTestKeystore();

    @AfterEach
    void closeKeystore() {
        keystore.close();
    }
    final Map<String, AccessKeyEntity> rows = new HashMap<>();
    final AtomicInteger decrypts = new AtomicInteger();
    final AtomicInteger dbReads = new AtomicInteger();
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    AccountService service() {
        byte[] master = new byte[32];
        new SecureRandom().nextBytes(master);
        KmsClient local = keystore.start(master, Runnable::run, Clock.systemUTC());
        AccessKeySecrets secrets = new AccessKeySecrets(new CountingKms(local), KEY, master::clone);
        secrets.ensureKey().await().indefinitely();
        rows.put("AKID1", row("AKID1", "000000000007", secrets.seal("AKID1", "000000000007", "s3cret").await().indefinitely()));
        decrypts.set(0);
        return new AccountService(secrets, id -> {
            dbReads.incrementAndGet();
            return Uni.createFrom().item(rows.get(id));
        }, clock);
    }

    static AccessKeyEntity row(String id, String account, byte[] sealed) {
        AccessKeyEntity e = new AccessKeyEntity();
        e.accessKeyId = id;
        e.accountId = account;
        e.secretSealed = sealed;
        e.status = "Active";
        return e;
    }

    @Test
    void manyLookupsOpenTheSecretOnce() {
        AccountService accounts = service();
        for (int i = 0; i < 100; i++) {
            Optional<Credential> c = accounts.credential("AKID1").await().indefinitely();
            assertEquals("s3cret", c.orElseThrow().secretKey());
            assertEquals("000000000007", c.orElseThrow().accountId());
        }
        assertEquals(1, decrypts.get());
        assertEquals(1, dbReads.get());
    }

    @Test
    void theSecretIsOpenedAgainAfterTheTtl() {
        AccountService accounts = service();
        accounts.credential("AKID1").await().indefinitely();
        clock.advance(AccountService.CREDENTIAL_TTL.minusSeconds(1));
        accounts.credential("AKID1").await().indefinitely();
        assertEquals(1, decrypts.get());
        clock.advance(Duration.ofSeconds(2));
        accounts.credential("AKID1").await().indefinitely();
        assertEquals(2, decrypts.get());
    }

    @Test
    void unknownAndInactiveKeysNeverReachTheKms() {
        AccountService accounts = service();
        rows.get("AKID1").status = "Inactive";
        assertTrue(accounts.credential("AKID1").await().indefinitely().isEmpty());
        assertTrue(accounts.credential("NOPE").await().indefinitely().isEmpty());
        assertEquals(0, decrypts.get());
    }

    @Test
    void accessKeyIdsLongerThanAwsAllowsAreUnknownWithoutALookup() {
        AccountService accounts = service();
        assertTrue(accounts.credential("A".repeat(128)).await().indefinitely().isEmpty());
        assertEquals(1, dbReads.get());
        long cached = accounts.cachedBytes();
        assertTrue(accounts.credential("A".repeat(129)).await().indefinitely().isEmpty());
        assertTrue(accounts.credential("B".repeat(100_000)).await().indefinitely().isEmpty());
        assertEquals(1, dbReads.get(), "no lookup for an id over 128 characters");
        assertEquals(cached, accounts.cachedBytes(), "and nothing cached for it");
    }

    @Test
    void negativeLookupsAreBoundedInBytesAndExpire() {
        AccountService accounts = service();
        accounts.credential("AKID1").await().indefinitely();
        int n = 40_000;
        for (int i = 0; i < n; i++) {
            String id = String.format("%0128d", i);
            assertTrue(accounts.credential(id).await().indefinitely().isEmpty());
        }
        long bytes = accounts.cachedBytes();
        assertTrue(bytes <= AccountService.CREDENTIAL_CACHE_BYTES, bytes + " bytes cached");
        assertTrue(bytes > AccountService.CREDENTIAL_CACHE_BYTES / 2, "the cache is used: " + bytes);
        // about 20,000 of the 40,000 unknown ids fit; the known key keeps working
        assertEquals("s3cret", accounts.credential("AKID1").await().indefinitely().orElseThrow().secretKey());
        clock.advance(AccountService.CREDENTIAL_TTL.plusSeconds(1));
        assertEquals(0, accounts.cachedBytes(), "every entry expired after the TTL");
    }

    /** Counts decrypt calls and passes everything through. */
    final class CountingKms implements KmsClient {
        private final KmsClient inner;

        CountingKms(KmsClient inner) {
            this.inner = inner;
        }

        @Override
        public Uni<DataKey> generateDataKey(KeyRef key, Map<String, String> ctx) {
            return inner.generateDataKey(key, ctx);
        }

        @Override
        public Uni<Wrapped> encrypt(KeyRef key, byte[] plaintext, Map<String, String> ctx) {
            return inner.encrypt(key, plaintext, ctx);
        }

        @Override
        public Uni<Plaintext> decrypt(KeyRef key, byte[] ciphertext, Map<String, String> ctx) {
            decrypts.incrementAndGet();
            return inner.decrypt(key, ciphertext, ctx);
        }

        @Override
        public Uni<Wrapped> rewrap(KeyRef key, byte[] ciphertext, Map<String, String> ctx) {
            return inner.rewrap(key, ciphertext, ctx);
        }

        @Override
        public Uni<KeyInfo> createKey(String name) {
            return inner.createKey(name);
        }

        @Override
        public Uni<KeyInfo> rotateKey(String name) {
            return inner.rotateKey(name);
        }

        @Override
        public Uni<KeyInfo> keyInfo(String name) {
            return inner.keyInfo(name);
        }

        @Override
        public Uni<KeyInfo> setMinDecryptionVersion(String name, int minDecryptionVersion) {
            return inner.setMinDecryptionVersion(name, minDecryptionVersion);
        }
    }
}
