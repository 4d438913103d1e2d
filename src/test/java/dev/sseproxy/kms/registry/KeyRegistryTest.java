package dev.sseproxy.kms.registry;

import dev.sseproxy.kms.MutableClock;

import static dev.sseproxy.kms.registry.KmsAction.GENERATE_DATA_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Resolution through the registry: aws/s3 on first use, the hot-path cache and its invalidation. */
class KeyRegistryTest {
    static final String ME = "111122223333";
    static final String OTHER = "444455556666";
    static final Duration TTL = Duration.ofSeconds(5);

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
    final InMemoryKeyRepository repo = new InMemoryKeyRepository();
    final FakeKmsClient kms = new FakeKmsClient();
    final KeyRegistry registry = new KeyRegistry(repo, kms, "us-east-1", TTL, clock);
    final KeyManagement management = new KeyManagement(registry);

    static <T> T await(Uni<T> uni) {
        return uni.await().atMost(Duration.ofSeconds(5));
    }

    KmsKey newKey(String account) {
        return await(management.createKey(account, NewKey.withDescription("test")));
    }

    ResolvedKey resolve(String id, String requester) {
        return await(registry.resolve(id, requester, GENERATE_DATA_KEY));
    }

    @Test
    void noKeyMeansTheRequestersAwsS3KeyCreatedOnFirstUseAndReusedAfter() {
        ResolvedKey first = resolve(null, ME);
        assertEquals(KeyManager.AWS, first.keyManager());
        assertEquals(List.of("sse-proxy-aws-s3-" + ME), kms.created);
        KmsKey row = repo.keys.get(first.keyId());
        assertEquals(KeyRegistry.AWS_S3_DESCRIPTION, row.description());
        assertEquals(Optional.of(first.keyId()), await(repo.findAlias(ME, "alias/aws/s3")).map(KmsAlias::keyId));
        clock.advance(TTL.multipliedBy(2));
        assertEquals(first, resolve("alias/aws/s3", ME));
        assertEquals(first, resolve(first.keyId().toString(), ME));
        assertEquals(1, kms.created.size());
    }

    @Test
    void twoConcurrentFirstUsesCreateOneAwsManagedKey() {
        kms.gate = new CompletableFuture<>();
        CompletableFuture<ResolvedKey> a = registry.resolve(null, ME, GENERATE_DATA_KEY).subscribeAsCompletionStage();
        CompletableFuture<ResolvedKey> b = registry.resolve("alias/aws/s3", ME, GENERATE_DATA_KEY)
                .subscribeAsCompletionStage();
        assertFalse(a.isDone());
        kms.gate.complete(null);
        assertEquals(a.join(), b.join());
        assertEquals(1, kms.created.size());
        assertEquals(1, repo.keys.size());
    }

    @Test
    void whenAnotherNodeCreatedAwsS3FirstItsKeyIsUsed() {
        KeyRegistry otherNode = new KeyRegistry(repo, kms, "us-east-1", TTL, clock);
        kms.gate = new CompletableFuture<>();
        CompletableFuture<ResolvedKey> here = registry.resolve(null, ME, GENERATE_DATA_KEY).subscribeAsCompletionStage();
        CompletableFuture<ResolvedKey> there = otherNode.resolve(null, ME, GENERATE_DATA_KEY).subscribeAsCompletionStage();
        kms.gate.complete(null);
        assertEquals(here.join().keyId(), there.join().keyId());
        assertEquals(1, repo.keys.size());
    }

    @Test
    void aKeyDisabledOnAnotherNodeIsRefusedHereOnceTheChangeFeedSaysSo() {
        KeyRegistry otherNode = new KeyRegistry(repo, kms, "us-east-1", TTL, clock);
        java.util.concurrent.atomic.AtomicInteger bucketKeyFlushes = new java.util.concurrent.atomic.AtomicInteger();
        registry.onChange(bucketKeyFlushes::incrementAndGet);
        KmsKey k = newKey(ME);
        resolve(k.keyId().toString(), ME);
        bucketKeyFlushes.set(0);
        await(new KeyManagement(otherNode).disableKey(ME, k.keyId().toString()));
        // cached here until told (or the TTL passes)
        assertEquals(k.keyId(), resolve(k.keyId().toString(), ME).keyId());
        registry.forgetResolutions();
        assertThrows(KeyRegistryException.Disabled.class, () -> resolve(k.keyId().toString(), ME));
        assertEquals(0, bucketKeyFlushes.get());
        registry.forgetAll();
        assertEquals(1, bucketKeyFlushes.get(), "a change elsewhere drops what a change here drops: bucket keys too");
    }

    @Test
    void eachAccountGetsItsOwnAwsS3Key() {
        assertFalse(resolve(null, ME).keyId().equals(resolve(null, OTHER).keyId()));
    }

    @Test
    void anotherAccountsAwsS3IsNeverCreatedNorShared() {
        assertThrows(KeyRegistryException.AccessDenied.class,
                () -> resolve("arn:aws:kms:us-east-1:" + OTHER + ":alias/aws/s3", ME));
        assertTrue(repo.keys.isEmpty());
        ResolvedKey theirs = resolve(null, OTHER);
        assertThrows(KeyRegistryException.AccessDenied.class, () -> resolve(theirs.arn(), ME));
    }

    @Test
    void resolutionsAreCachedForTheTtl() {
        KmsKey k = newKey(ME);
        resolve(k.keyId().toString(), ME);
        int reads = repo.reads.get();
        resolve(k.keyId().toString(), ME);
        assertEquals(reads, repo.reads.get());
        clock.advance(TTL.plusSeconds(1));
        resolve(k.keyId().toString(), ME);
        assertEquals(reads + 1, repo.reads.get());
    }

    @Test
    void disablingAKeyStopsTheVeryNextResolutionOnThisNode() {
        KmsKey k = newKey(ME);
        resolve(k.keyId().toString(), ME);
        await(management.disableKey(ME, k.keyId().toString()));
        KeyRegistryException e = assertThrows(KeyRegistryException.Disabled.class, () -> resolve(k.keyId().toString(), ME));
        assertEquals(k.arn() + " is disabled.", e.getMessage());
        await(management.enableKey(ME, k.arn()));
        assertEquals(k.arn(), resolve(k.keyId().toString(), ME).arn());
    }

    @Test
    void schedulingDeletionStopsTheVeryNextResolution() {
        KmsKey k = newKey(ME);
        resolve(k.arn(), ME);
        await(management.scheduleKeyDeletion(ME, k.keyId().toString(), 7));
        assertThrows(KeyRegistryException.InvalidState.class, () -> resolve(k.arn(), ME));
    }

    @Test
    void deletingOrCreatingAnAliasTakesEffectAtOnce() {
        KmsKey k = newKey(ME);
        assertThrows(KeyRegistryException.AliasNotFound.class, () -> resolve("alias/app", ME));
        await(management.createAlias(ME, "alias/app", k.keyId().toString()));
        assertEquals(k.arn(), resolve("alias/app", ME).arn());
        await(management.deleteAlias(ME, "alias/app"));
        assertThrows(KeyRegistryException.AliasNotFound.class, () -> resolve("alias/app", ME));
    }

    @Test
    void aPolicyChangeGrantsAndRevokesAtOnce() {
        KmsKey k = newKey(ME);
        assertThrows(KeyRegistryException.AccessDenied.class, () -> resolve(k.arn(), OTHER));
        String shared = KeyPolicyTest.policy(KeyPolicyTest.allow("\"" + ME + "\"", "\"kms:*\""),
                KeyPolicyTest.allow("\"arn:aws:iam::" + OTHER + ":root\"", "\"kms:GenerateDataKey\""));
        await(management.putKeyPolicy(ME, k.keyId().toString(), "default", shared));
        assertEquals(k.arn(), resolve(k.arn(), OTHER).arn());
        await(management.putKeyPolicy(ME, k.keyId().toString(), null, KeyPolicy.defaultPolicy(ME)));
        assertThrows(KeyRegistryException.AccessDenied.class, () -> resolve(k.arn(), OTHER));
    }

    @Test
    void keyIdsAndAliasesOfAnotherAccountDoNotResolveForMe() {
        KmsKey theirs = newKey(OTHER);
        await(management.createAlias(OTHER, "alias/theirs", theirs.keyId().toString()));
        assertThrows(KeyRegistryException.KeyNotFound.class, () -> resolve(theirs.keyId().toString(), ME));
        assertThrows(KeyRegistryException.AliasNotFound.class, () -> resolve("alias/theirs", ME));
    }

    @Test
    void aChangeMadeOnAnotherNodeIsSeenHereAfterTheTtl() {
        KmsKey k = newKey(ME);
        resolve(k.keyId().toString(), ME);
        repo.put(repo.keys.get(k.keyId()).withState(KeyState.DISABLED, null));
        assertEquals(k.arn(), resolve(k.keyId().toString(), ME).arn());
        clock.advance(TTL);
        assertThrows(KeyRegistryException.Disabled.class, () -> resolve(k.keyId().toString(), ME));
    }

    @Test
    void aNotFoundIsNotCachedPastTheNextChange() {
        KmsKey k = newKey(ME);
        String later = "alias/later";
        assertThrows(KeyRegistryException.AliasNotFound.class, () -> resolve(later, ME));
        await(management.createAlias(ME, later, k.arn()));
        assertEquals(k.keyId(), resolve(later, ME).keyId());
    }
}
