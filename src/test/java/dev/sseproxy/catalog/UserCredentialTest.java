package dev.sseproxy.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.authz.Principal;
import dev.sseproxy.kms.KeyRef;
import dev.sseproxy.kms.KmsClient;
import dev.sseproxy.kms.MutableClock;
import dev.sseproxy.kms.local.PgTestKeystore;
import io.smallrye.mutiny.Uni;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A user's access key answers a credential that carries the user and its identity policies, cached
 * like every credential and dropped when the user or its policies change (the change feed's
 * {@code iam-user} / {@code iam-policy}).
 */
class UserCredentialTest {
    static final KeyRef KEY = KeyRef.of("sse-proxy-secrets");
    static final String ACCOUNT = "111122223333";
    static final IamUser ALICE = new IamUser(ACCOUNT, "Alice", "/division/", "AIDAAAAAAAAAAAAAAAAAA", Instant.EPOCH);
    static final IamUser BOB = new IamUser(ACCOUNT, "Bob", "/", "AIDABBBBBBBBBBBBBBBBB", Instant.EPOCH);

    final PgTestKeystore keystore = new PgTestKeystore();
    final Map<String, AccessKeyEntity> keys = new HashMap<>();
    final Map<String, UserIdentity> users = new HashMap<>();
    final AtomicInteger userReads = new AtomicInteger();
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @AfterEach
    void closeKeystore() {
        keystore.close();
    }

    AccountService service() {
        byte[] master = new byte[32];
        new SecureRandom().nextBytes(master);
        KmsClient local = keystore.start(master, Runnable::run, Clock.systemUTC());
        AccessKeySecrets secrets = new AccessKeySecrets(local, KEY, master::clone);
        secrets.ensureKey().await().indefinitely();
        key(secrets, "AKIAALICE00000000001", ALICE.userId());
        key(secrets, "AKIABOB0000000000001", BOB.userId());
        key(secrets, "AKROOT00000000000001", null);
        users.put(ALICE.userId(), new UserIdentity(ALICE, List.of()));
        users.put(BOB.userId(), new UserIdentity(BOB, List.of()));
        return new AccountService(secrets, id -> Uni.createFrom().item(keys.get(id)), id -> {
            userReads.incrementAndGet();
            return Uni.createFrom().item(users.get(id));
        }, clock, AccountService.CREDENTIAL_TTL);
    }

    void key(AccessKeySecrets secrets, String id, String userId) {
        AccessKeyEntity e = CredentialCacheTest.row(id, ACCOUNT, secrets.seal(id, ACCOUNT, "secret-" + id).await().indefinitely());
        e.userId = userId;
        keys.put(id, e);
    }

    @Test
    void aUsersKeyCarriesTheUserAndIsAUserPrincipal() {
        AccountService accounts = service();
        Credential c = accounts.credential("AKIAALICE00000000001").await().indefinitely().orElseThrow();
        assertEquals(ALICE, c.user());
        assertFalse(c.isRoot());
        assertEquals(Principal.user(ACCOUNT, "Alice", "/division/"), c.principal());
        assertEquals("arn:aws:iam::111122223333:user/division/Alice", c.principal().arn());
        assertEquals("secret-AKIAALICE00000000001", c.secretKey());
        assertTrue(c.toString().contains("Alice") && !c.toString().contains("secret-"));
    }

    @Test
    void aRootKeyStaysTheAccountRootWithoutPolicies() {
        AccountService accounts = service();
        Credential c = accounts.credential("AKROOT00000000000001").await().indefinitely().orElseThrow();
        assertNull(c.user());
        assertTrue(c.isRoot());
        assertEquals(Principal.account(ACCOUNT), c.principal());
        assertTrue(c.identityPolicies().isEmpty());
        assertEquals(0, userReads.get(), "a root key reads no user");
    }

    @Test
    void aKeyOfADeletedUserIsUnknown() {
        AccountService accounts = service();
        users.remove(BOB.userId());
        assertTrue(accounts.credential("AKIABOB0000000000001").await().indefinitely().isEmpty());
    }

    @Test
    void forgettingAUserDropsOnlyThatUsersKeys() {
        AccountService accounts = service();
        accounts.credential("AKIAALICE00000000001").await().indefinitely();
        accounts.credential("AKIABOB0000000000001").await().indefinitely();
        accounts.credential("AKROOT00000000000001").await().indefinitely();
        assertEquals(2, userReads.get());
        users.remove(ALICE.userId());
        accounts.forgetUser(ALICE.userId());
        assertTrue(accounts.credential("AKIAALICE00000000001").await().indefinitely().isEmpty(), "reloaded: gone");
        assertTrue(accounts.credential("AKIABOB0000000000001").await().indefinitely().isPresent());
        assertEquals(3, userReads.get(), "Bob's stayed cached");
    }

    @Test
    void aManagedPolicyChangeDropsEveryUserKeyOfTheAccountButNotTheRoots() {
        AccountService accounts = service();
        accounts.credential("AKIAALICE00000000001").await().indefinitely();
        accounts.credential("AKIABOB0000000000001").await().indefinitely();
        accounts.credential("AKROOT00000000000001").await().indefinitely();
        long before = accounts.cachedBytes();
        accounts.forgetAccountUsers(ACCOUNT);
        assertTrue(accounts.cachedBytes() < before);
        accounts.credential("AKIAALICE00000000001").await().indefinitely();
        accounts.credential("AKIABOB0000000000001").await().indefinitely();
        assertEquals(4, userReads.get());
        accounts.forgetAccountUsers("999988887777");
        accounts.credential("AKIAALICE00000000001").await().indefinitely();
        assertEquals(4, userReads.get(), "another account's change drops nothing here");
    }
}
