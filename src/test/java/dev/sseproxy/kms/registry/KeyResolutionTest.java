package dev.sseproxy.kms.registry;

import static dev.sseproxy.kms.registry.KmsAction.DECRYPT;
import static dev.sseproxy.kms.registry.KmsAction.GENERATE_DATA_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sseproxy.kms.registry.KeyResolution.LoadedKey;
import dev.sseproxy.kms.registry.KeyResolution.Lookup;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The resolution rules of spec §4.1 and the errors of §4.5, over rows given directly. */
class KeyResolutionTest {
    static final String REGION = "us-east-1";
    static final String ME = "111122223333";
    static final String OTHER = "444455556666";
    static final UUID ID = UUID.fromString("0f6c2e8a-1b7d-4c55-9d3e-2a4b6c8d0e1f");
    static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    static KmsKey key(String account, KeyManager manager, KeyState state, String policy) {
        return new KmsKey(ID, account, KeyIdentifier.keyArn(REGION, account, ID), "sse-proxy-" + ID, "", manager, state,
                state == KeyState.PENDING_DELETION ? NOW.plus(Duration.ofDays(7)) : null, policy, NOW);
    }

    static KmsKey customerKey(String account, KeyState state) {
        return key(account, KeyManager.CUSTOMER, state, KeyPolicy.defaultPolicy(account));
    }

    static Lookup lookup(String id, String requester) {
        return KeyResolution.lookupFor(KeyIdentifier.parse(id), requester, REGION);
    }

    static ResolvedKey decide(String id, String requester, KmsAction action, KmsKey row) {
        return KeyResolution.decide(lookup(id, requester), Optional.ofNullable(row).map(LoadedKey::of), requester,
                action, REGION, NOW);
    }

    static <T extends KeyRegistryException> T fails(Class<T> type, String id, String requester, KmsKey row) {
        return assertThrows(type, () -> decide(id, requester, GENERATE_DATA_KEY, row));
    }

    @Test
    void keyIdsAndAliasNamesResolveInTheRequestersAccount() {
        assertEquals(new Lookup(ME, Lookup.Kind.KEY, ID.toString()), lookup(ID.toString(), ME));
        assertEquals(new Lookup(ME, Lookup.Kind.ALIAS, "alias/payments"), lookup("alias/payments", ME));
    }

    @Test
    void arnsResolveInTheAccountTheyName() {
        assertEquals(new Lookup(OTHER, Lookup.Kind.KEY, ID.toString()),
                lookup(KeyIdentifier.keyArn(REGION, OTHER, ID), ME));
        assertEquals(new Lookup(OTHER, Lookup.Kind.ALIAS, "alias/x"), lookup("arn:aws:kms:us-east-1:" + OTHER + ":alias/x", ME));
    }

    @Test
    void onlyTheRequestersOwnAwsS3AliasIsCreatedOnFirstUse() {
        assertEquals(Lookup.Kind.AWS_MANAGED, lookup("alias/aws/s3", ME).kind());
        assertEquals(Lookup.Kind.AWS_MANAGED, lookup("arn:aws:kms:us-east-1:" + ME + ":alias/aws/s3", ME).kind());
        assertEquals(Lookup.Kind.ALIAS, lookup("arn:aws:kms:us-east-1:" + OTHER + ":alias/aws/s3", ME).kind());
    }

    @Test
    void anArnOfAnotherRegionIsInvalidArnNamingThatRegion() {
        KeyRegistryException e = assertThrows(KeyRegistryException.InvalidArn.class,
                () -> lookup("arn:aws:kms:us-west-2:" + ME + ":key/" + ID, ME));
        assertEquals("Invalid arn us-west-2", e.getMessage());
    }

    @Test
    void aMissingOwnKeyDoesNotExistUnderItsExpandedArn() {
        KeyRegistryException e = fails(KeyRegistryException.KeyNotFound.class, ID.toString(), ME, null);
        assertEquals("Key 'arn:aws:kms:us-east-1:111122223333:key/0f6c2e8a-1b7d-4c55-9d3e-2a4b6c8d0e1f' does not exist",
                e.getMessage());
    }

    @Test
    void aMissingAliasIsNotFoundUnderItsAliasArn() {
        KeyRegistryException e = fails(KeyRegistryException.AliasNotFound.class, "alias/nope", ME, null);
        assertEquals("Alias arn:aws:kms:us-east-1:111122223333:alias/nope is not found.", e.getMessage());
    }

    @Test
    void anotherAccountsMissingKeyIsAccessDeniedNotNotFound() {
        KeyRegistryException e = fails(KeyRegistryException.AccessDenied.class,
                KeyIdentifier.keyArn(REGION, OTHER, ID), ME, null);
        assertEquals("User: arn:aws:iam::111122223333:root is not authorized to perform: kms:GenerateDataKey on this "
                + "resource because the resource does not exist in this Region, no resource-based policies allow "
                + "access, or a resource-based policy explicitly denies access", e.getMessage());
    }

    @Test
    void anEnabledOwnKeyResolvesToItsArnWhateverFormWasUsed() {
        KmsKey k = customerKey(ME, KeyState.ENABLED);
        ResolvedKey r = decide(ID.toString(), ME, GENERATE_DATA_KEY, k);
        assertEquals(k.arn(), r.arn());
        assertEquals("sse-proxy-" + ID, r.backendKey().name());
        assertEquals(k.arn(), decide("alias/payments", ME, DECRYPT, k).arn());
    }

    @Test
    void aDisabledKeyIsDisabledException() {
        KeyRegistryException e = fails(KeyRegistryException.Disabled.class, ID.toString(), ME,
                customerKey(ME, KeyState.DISABLED));
        assertEquals("arn:aws:kms:us-east-1:111122223333:key/0f6c2e8a-1b7d-4c55-9d3e-2a4b6c8d0e1f is disabled.",
                e.getMessage());
    }

    @Test
    void aKeyPendingDeletionIsInvalidState() {
        KeyRegistryException e = fails(KeyRegistryException.InvalidState.class, ID.toString(), ME,
                customerKey(ME, KeyState.PENDING_DELETION));
        assertEquals("arn:aws:kms:us-east-1:111122223333:key/0f6c2e8a-1b7d-4c55-9d3e-2a4b6c8d0e1f is pending deletion.",
                e.getMessage());
    }

    @Test
    void aKeyPastItsDeletionDateNoLongerExists() {
        KmsKey k = customerKey(ME, KeyState.ENABLED).withState(KeyState.PENDING_DELETION, NOW);
        fails(KeyRegistryException.KeyNotFound.class, ID.toString(), ME, k);
    }

    @Test
    void anotherAccountsKeyNeedsAGrantForTheAction() {
        KmsKey shared = key(OTHER, KeyManager.CUSTOMER, KeyState.ENABLED, KeyPolicyTest.policy(
                KeyPolicyTest.allow("\"arn:aws:iam::" + OTHER + ":root\"", "\"kms:*\""),
                KeyPolicyTest.allow("\"arn:aws:iam::" + ME + ":root\"", "\"kms:Decrypt\"")));
        String arn = KeyIdentifier.keyArn(REGION, OTHER, ID);
        assertEquals(arn, decide(arn, ME, DECRYPT, shared).arn());
        fails(KeyRegistryException.AccessDenied.class, arn, ME, shared);
        fails(KeyRegistryException.AccessDenied.class, arn, ME, customerKey(OTHER, KeyState.ENABLED));
    }

    @Test
    void withoutAGrantAForeignKeysStateStaysHidden() {
        fails(KeyRegistryException.AccessDenied.class, KeyIdentifier.keyArn(REGION, OTHER, ID), ME,
                customerKey(OTHER, KeyState.DISABLED));
    }

    @Test
    void theAwsManagedKeyIsNeverSharedWhateverItsPolicySays() {
        KmsKey awsManaged = key(OTHER, KeyManager.AWS, KeyState.ENABLED, KeyPolicyTest.policy(
                KeyPolicyTest.allow("\"*\"", "\"kms:*\"")));
        fails(KeyRegistryException.AccessDenied.class, KeyIdentifier.keyArn(REGION, OTHER, ID), ME, awsManaged);
        assertEquals(awsManaged.arn(), decide(ID.toString(), OTHER, GENERATE_DATA_KEY, awsManaged).arn());
    }

    @Test
    void anOwnerWhosePolicyNoLongerNamesThemCannotUseTheKey() {
        KmsKey k = key(ME, KeyManager.CUSTOMER, KeyState.ENABLED, KeyPolicyTest.policy(
                KeyPolicyTest.allow("\"" + OTHER + "\"", "\"kms:*\"")));
        fails(KeyRegistryException.AccessDenied.class, ID.toString(), ME, k);
    }
}
