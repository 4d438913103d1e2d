package dev.sseproxy.kms.registry;

import dev.sseproxy.kms.MutableClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.kms.KmsException;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The management operations, on the in-memory repository with a fake clock. */
class KeyManagementTest {
    static final String ME = "111122223333";
    static final String OTHER = "444455556666";

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
    final InMemoryKeyRepository repo = new InMemoryKeyRepository();
    final FakeKmsClient kms = new FakeKmsClient();
    final KeyRegistry registry = new KeyRegistry(repo, kms, "us-east-1", Duration.ofSeconds(5), clock);
    final KeyManagement management = new KeyManagement(registry);

    static <T> T await(Uni<T> uni) {
        return uni.await().atMost(Duration.ofSeconds(5));
    }

    KmsKey newKey(String account) {
        return await(management.createKey(account, NewKey.withDescription("d")));
    }

    @Test
    void createKeyMakesTheBackendKeyThenAnEnabledCustomerKeyWithTheDefaultPolicy() {
        KmsKey k = newKey(ME);
        assertEquals(List.of("sse-proxy-" + k.keyId()), kms.created);
        assertEquals("arn:aws:kms:us-east-1:" + ME + ":key/" + k.keyId(), k.arn());
        assertEquals(KeyState.ENABLED, k.state());
        assertEquals(KeyManager.CUSTOMER, k.keyManager());
        assertEquals(KeyPolicy.defaultPolicy(ME), k.policy());
        assertEquals(k, repo.keys.get(k.keyId()));
    }

    @Test
    void aBackendFailureRegistersNothing() {
        kms.failure = new KmsException.Unavailable("down");
        assertThrows(KmsException.Unavailable.class, () -> newKey(ME));
        assertTrue(repo.keys.isEmpty());
    }

    @Test
    void createKeyRefusesWhatSseProxyDoesNotOffer() {
        assertThrows(KeyRegistryException.Unsupported.class, () -> await(management.createKey(ME,
                new NewKey(null, null, "SIGN_VERIFY", "RSA_2048", null, null, null, false))));
        assertThrows(KeyRegistryException.Unsupported.class, () -> await(management.createKey(ME,
                new NewKey(null, null, null, null, null, "EXTERNAL", null, false))));
        assertThrows(KeyRegistryException.Unsupported.class, () -> await(management.createKey(ME,
                new NewKey(null, null, null, null, null, null, true, false))));
        assertThrows(KeyRegistryException.MalformedPolicy.class, () -> await(management.createKey(ME,
                new NewKey(null, "{}", null, null, null, null, null, false))));
        assertTrue(kms.created.isEmpty());
    }

    @Test
    void scheduleKeyDeletionWaitsThirtyDaysByDefault() {
        KmsKey k = await(management.scheduleKeyDeletion(ME, newKey(ME).keyId().toString(), null));
        assertEquals(KeyState.PENDING_DELETION, k.state());
        assertEquals(clock.instant().plus(Duration.ofDays(30)), k.deletionDate());
    }

    @Test
    void aPendingWindowOutside7To30DaysIsAValidationError() {
        String id = newKey(ME).keyId().toString();
        KeyRegistryException e = assertThrows(KeyRegistryException.Validation.class,
                () -> await(management.scheduleKeyDeletion(ME, id, 3)));
        assertEquals("1 validation error detected: Value '3' at 'pendingWindowInDays' failed to satisfy constraint: "
                + "Member must have value greater than or equal to 7", e.getMessage());
        assertThrows(KeyRegistryException.Validation.class, () -> await(management.scheduleKeyDeletion(ME, id, 31)));
    }

    @Test
    void cancellingDeletionLeavesTheKeyDisabledAsAwsDoes() {
        String id = newKey(ME).keyId().toString();
        await(management.scheduleKeyDeletion(ME, id, 7));
        KmsKey k = await(management.cancelKeyDeletion(ME, id));
        assertEquals(KeyState.DISABLED, k.state());
        assertNull(k.deletionDate());
        KeyRegistryException e = assertThrows(KeyRegistryException.InvalidState.class,
                () -> await(management.cancelKeyDeletion(ME, id)));
        assertTrue(e.getMessage().endsWith(" is not pending deletion."));
    }

    @Test
    void aKeyPendingDeletionCanBeNeitherEnabledNorDisabledNorScheduledAgain() {
        String id = newKey(ME).keyId().toString();
        await(management.scheduleKeyDeletion(ME, id, 7));
        assertThrows(KeyRegistryException.InvalidState.class, () -> await(management.enableKey(ME, id)));
        assertThrows(KeyRegistryException.InvalidState.class, () -> await(management.disableKey(ME, id)));
        assertThrows(KeyRegistryException.InvalidState.class, () -> await(management.scheduleKeyDeletion(ME, id, 7)));
    }

    @Test
    void aKeyIsGoneWithItsAliasesOnceTheDeletionDatePasses() {
        KmsKey k = newKey(ME);
        await(management.createAlias(ME, "alias/doomed", k.keyId().toString()));
        await(management.scheduleKeyDeletion(ME, k.keyId().toString(), 7));
        clock.advance(Duration.ofDays(7));
        assertThrows(KeyRegistryException.KeyNotFound.class, () -> await(management.describeKey(ME, k.arn())));
        assertTrue(await(management.listAliases(ME, null, null, null)).items().isEmpty());
        assertTrue(await(management.listKeys(ME, null, null)).items().isEmpty());
    }

    @Test
    void describeKeyAcceptsAliasesAndNeverCreatesAwsS3() {
        KmsKey k = newKey(ME);
        await(management.createAlias(ME, "alias/app", k.arn()));
        assertEquals(k, await(management.describeKey(ME, "alias/app")));
        assertEquals(k, await(management.describeKey(ME, "arn:aws:kms:us-east-1:" + ME + ":alias/app")));
        assertThrows(KeyRegistryException.AliasNotFound.class, () -> await(management.describeKey(ME, "alias/aws/s3")));
        assertEquals(1, kms.created.size());
    }

    @Test
    void anotherAccountDescribesMyKeyOnlyByArnWithADescribeKeyGrant() {
        KmsKey k = newKey(ME);
        assertThrows(KeyRegistryException.KeyNotFound.class, () -> await(management.describeKey(OTHER, k.keyId().toString())));
        assertThrows(KeyRegistryException.AccessDenied.class, () -> await(management.describeKey(OTHER, k.arn())));
        await(management.putKeyPolicy(ME, k.arn(), "default", KeyPolicyTest.policy(
                KeyPolicyTest.allow("\"" + ME + "\"", "\"kms:*\""),
                KeyPolicyTest.allow("\"" + OTHER + "\"", "\"kms:DescribeKey\""))));
        assertEquals(k.keyId(), await(management.describeKey(OTHER, k.arn())).keyId());
        assertThrows(KeyRegistryException.AccessDenied.class, () -> await(management.disableKey(OTHER, k.arn())));
    }

    @Test
    void aliasesInTheAwsNamespaceAreReserved() {
        String id = newKey(ME).keyId().toString();
        KeyRegistryException e = assertThrows(KeyRegistryException.NotAuthorized.class,
                () -> await(management.createAlias(ME, "alias/aws/mine", id)));
        assertTrue(e.getMessage().contains("alias/aws/"));
        assertThrows(KeyRegistryException.NotAuthorized.class, () -> await(management.deleteAlias(ME, "alias/aws/s3")));
    }

    @Test
    void aliasNamesAreValidatedAndUniquePerAccount() {
        String id = newKey(ME).keyId().toString();
        assertThrows(KeyRegistryException.Validation.class, () -> await(management.createAlias(ME, "app", id)));
        assertThrows(KeyRegistryException.Validation.class, () -> await(management.createAlias(ME, "alias/a b", id)));
        assertThrows(KeyRegistryException.Validation.class, () -> await(management.createAlias(ME, "alias/x", "alias/y")));
        await(management.createAlias(ME, "alias/app", id));
        KeyRegistryException e = assertThrows(KeyRegistryException.AlreadyExists.class,
                () -> await(management.createAlias(ME, "alias/app", id)));
        assertEquals("An alias with the name arn:aws:kms:us-east-1:" + ME + ":alias/app already exists", e.getMessage());
        String theirs = newKey(OTHER).keyId().toString();
        await(management.createAlias(OTHER, "alias/app", theirs));
    }

    @Test
    void anAliasCannotNameAnotherAccountsKeyNorAnAwsManagedOne() {
        KmsKey theirs = newKey(OTHER);
        assertThrows(KeyRegistryException.AccessDenied.class, () -> await(management.createAlias(ME, "alias/x", theirs.arn())));
        String awsS3 = await(registry.resolve(null, ME, KmsAction.ENCRYPT)).arn();
        assertThrows(KeyRegistryException.Unsupported.class, () -> await(management.createAlias(ME, "alias/x", awsS3)));
        assertThrows(KeyRegistryException.Unsupported.class, () -> await(management.disableKey(ME, awsS3)));
        assertThrows(KeyRegistryException.Unsupported.class,
                () -> await(management.putKeyPolicy(ME, awsS3, null, KeyPolicy.defaultPolicy(ME))));
    }

    @Test
    void deletingAMissingAliasIsNotFound() {
        KeyRegistryException e = assertThrows(KeyRegistryException.AliasNotFound.class,
                () -> await(management.deleteAlias(ME, "alias/none")));
        assertEquals("Alias arn:aws:kms:us-east-1:" + ME + ":alias/none is not found.", e.getMessage());
    }

    @Test
    void listKeysPagesWithMarkersAndShowsOnlyTheCallersKeys() {
        List<UUID> mine = IntStream.range(0, 5).mapToObj(i -> newKey(ME).keyId()).sorted().toList();
        newKey(OTHER);
        Page<KmsKey> first = await(management.listKeys(ME, 2, null));
        assertEquals(mine.subList(0, 2), first.items().stream().map(KmsKey::keyId).toList());
        assertTrue(first.truncated());
        Page<KmsKey> second = await(management.listKeys(ME, 2, first.nextMarker().orElseThrow()));
        Page<KmsKey> third = await(management.listKeys(ME, 2, second.nextMarker().orElseThrow()));
        assertEquals(mine.subList(4, 5), third.items().stream().map(KmsKey::keyId).toList());
        assertFalse(third.truncated());
        assertThrows(KeyRegistryException.InvalidMarker.class, () -> await(management.listKeys(ME, 2, "bogus")));
        assertThrows(KeyRegistryException.Validation.class, () -> await(management.listKeys(ME, 0, null)));
    }

    @Test
    void listAliasesFiltersByKeyAndShowsAwsS3OnceCreated() {
        KmsKey a = newKey(ME);
        KmsKey b = newKey(ME);
        await(management.createAlias(ME, "alias/a1", a.keyId().toString()));
        await(management.createAlias(ME, "alias/a2", a.keyId().toString()));
        await(management.createAlias(ME, "alias/b1", b.keyId().toString()));
        assertEquals("alias/a1,alias/a2,alias/b1", names(await(management.listAliases(ME, null, null, null))));
        assertEquals("alias/a1,alias/a2", names(await(management.listAliases(ME, a.arn(), null, null))));
        await(registry.resolve(null, ME, KmsAction.GENERATE_DATA_KEY));
        assertEquals("alias/a1,alias/a2,alias/aws/s3,alias/b1", names(await(management.listAliases(ME, null, null, null))));
        Page<KmsAlias> page = await(management.listAliases(ME, null, 3, null));
        assertEquals("alias/b1", names(await(management.listAliases(ME, null, 3, page.nextMarker().orElseThrow()))));
    }

    @Test
    void getKeyPolicyKnowsOnlyTheDefaultPolicyName() {
        KmsKey k = newKey(ME);
        assertEquals(KeyPolicy.defaultPolicy(ME), await(management.getKeyPolicy(ME, k.keyId().toString(), "default")));
        assertThrows(KeyRegistryException.Validation.class,
                () -> await(management.getKeyPolicy(ME, k.keyId().toString(), "other")));
        assertThrows(KeyRegistryException.MalformedPolicy.class,
                () -> await(management.putKeyPolicy(ME, k.keyId().toString(), null, "{\"Statement\":[]}")));
    }

    @Test
    void managementOperationsOtherThanDescribeTakeKeyIdsOrKeyArnsOnly() {
        KmsKey k = newKey(ME);
        await(management.createAlias(ME, "alias/app", k.arn()));
        assertThrows(KeyRegistryException.InvalidKeyId.class, () -> await(management.disableKey(ME, "alias/app")));
        assertThrows(KeyRegistryException.InvalidArn.class,
                () -> await(management.disableKey(ME, k.arn().replace("us-east-1", "eu-west-1"))));
    }

    static String names(Page<KmsAlias> page) {
        return page.items().stream().map(KmsAlias::aliasName).collect(Collectors.joining(","));
    }

    static KeyRequester user(String account, String name, String... identityPolicies) {
        return new KeyRequester(dev.sseproxy.authz.Principal.user(account, name, "/"),
                java.util.Arrays.stream(identityPolicies).map(dev.sseproxy.authz.Policy::identityPolicy).toList());
    }

    static String identity(String actions, String resource) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":" + actions
                + ",\"Resource\":\"" + resource + "\"}]}";
    }

    @Test
    void anIamUserManagesKeysAsItsIdentityPoliciesAndTheKeyPolicyAllow() {
        KeyRequester nobody = user(ME, "nobody");
        KeyRequester operator = user(ME, "operator", identity("[\"kms:CreateKey\",\"kms:ListKeys\",\"kms:DescribeKey\"]", "*"));
        assertThrows(KeyRegistryException.AccessDenied.class, () -> await(management.createKey(nobody, NewKey.withDescription("d"))));
        KmsKey k = await(management.createKey(operator, NewKey.withDescription("d")));
        assertEquals(ME, k.accountId());
        assertEquals(List.of(k.keyId()), await(management.listKeys(operator, null, null)).items().stream().map(KmsKey::keyId).toList());
        assertThrows(KeyRegistryException.AccessDenied.class, () -> await(management.listKeys(nobody, null, null)));
        assertEquals(k.keyId(), await(management.describeKey(operator, k.keyId().toString())).keyId());
        KeyRegistryException denied = assertThrows(KeyRegistryException.AccessDenied.class,
                () -> await(management.disableKey(operator, k.keyId().toString())));
        assertTrue(denied.getMessage().startsWith("User: arn:aws:iam::" + ME + ":user/operator is not authorized to perform: "
                + "kms:DisableKey"), denied.getMessage());
        // existence is checked before permission
        assertThrows(KeyRegistryException.KeyNotFound.class, () -> await(management.disableKey(nobody, UUID.randomUUID().toString())));
        KeyRequester admin = user(ME, "admin", identity("\"kms:*\"", k.arn()));
        assertEquals(KeyState.DISABLED, await(management.disableKey(admin, k.keyId().toString())).state());
        // a key policy without the account's delegation locks the users out, not the root
        await(management.putKeyPolicy(ME, k.keyId().toString(), "default", "{\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":{\"AWS\":\"arn:aws:iam::" + ME + ":user/other\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}"));
        assertThrows(KeyRegistryException.AccessDenied.class, () -> await(management.enableKey(admin, k.keyId().toString())));
        assertEquals(KeyState.ENABLED, await(management.enableKey(ME, k.keyId().toString())).state());
        assertThrows(KeyRegistryException.AccessDenied.class,
                () -> await(management.getKeyPolicy(user(OTHER, "x", identity("\"kms:*\"", "*")), k.arn(), "default")));
    }
}
