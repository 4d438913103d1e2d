package dev.sseproxy.kms.registry;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The resolution rules of spec §4.1 as pure functions over loaded rows, so they are tested without
 * a database: where an identifier points ({@link #lookupFor}) and what the found row means for a
 * requester and an action ({@link #decide}).
 */
public final class KeyResolution {
    private KeyResolution() {
    }

    /** What to load: a key by id, or a key through an alias, in one account. */
    public record Lookup(String accountId, Kind kind, String name) {
        /** The kinds of lookup. */
        public enum Kind {
            /** {@code name} is a key id. */
            KEY,
            /** {@code name} is an alias name. */
            ALIAS,
            /** The account's own {@code alias/aws/s3}: created on first use. */
            AWS_MANAGED
        }

        static Lookup key(String accountId, UUID keyId) {
            return new Lookup(accountId, Kind.KEY, keyId.toString());
        }
    }

    /** A loaded key with its policy parsed once (what the hot-path cache holds). */
    public record LoadedKey(KmsKey key, KeyPolicy policy) {
        /** Parses the stored policy; an unreadable one grants nothing. */
        public static LoadedKey of(KmsKey key) {
            return new LoadedKey(key, KeyPolicy.parseStored(key.policy()));
        }
    }

    /**
     * Where an identifier points for a requester: key ids and alias names in the requester's own
     * account, ARNs as written. The requester's own {@code alias/aws/s3} is the AWS managed lookup;
     * another account's is a plain alias (never created on someone else's behalf).
     *
     * @throws KeyRegistryException.InvalidArn for an ARN of another region
     */
    public static Lookup lookupFor(KeyIdentifier id, String requester, String region) {
        if (id instanceof KeyIdentifier.KeyId k) {
            return Lookup.key(requester, k.keyId());
        }
        if (id instanceof KeyIdentifier.AliasName a) {
            return alias(requester, requester, a.aliasName());
        }
        if (id instanceof KeyIdentifier.KeyArn k) {
            checkRegion(k.region(), region);
            return Lookup.key(k.accountId(), k.keyId());
        }
        KeyIdentifier.AliasArn a = (KeyIdentifier.AliasArn) id;
        checkRegion(a.region(), region);
        return alias(a.accountId(), requester, a.aliasName());
    }

    private static Lookup alias(String accountId, String requester, String aliasName) {
        boolean ownAwsManaged = accountId.equals(requester) && KeyIdentifier.AWS_S3_ALIAS.equals(aliasName);
        return new Lookup(accountId, ownAwsManaged ? Lookup.Kind.AWS_MANAGED : Lookup.Kind.ALIAS, aliasName);
    }

    private static void checkRegion(String arnRegion, String region) {
        if (!arnRegion.equals(region)) {
            throw new KeyRegistryException.InvalidArn(arnRegion);
        }
    }

    /** {@link #decide(Lookup, Optional, KeyRequester, KmsAction, String, Instant)} for an account's root. */
    public static ResolvedKey decide(Lookup lookup, Optional<LoadedKey> found, String requester, KmsAction action,
                                     String region, Instant now) {
        return decide(lookup, found, KeyRequester.root(requester), action, region, now);
    }

    /**
     * What a lookup's result means for the requester on S3's data path: the usable key, or the failure
     * S3 reports. Order: existence, then permission ({@link KeyAuthorization}), then state (a key one may
     * not use reveals nothing of its state). Another account's missing key is access denied, not "does
     * not exist".
     */
    public static ResolvedKey decide(Lookup lookup, Optional<LoadedKey> found, KeyRequester requester, KmsAction action,
                                     String region, Instant now) {
        boolean foreign = !lookup.accountId().equals(requester.accountId());
        Optional<LoadedKey> live = found.filter(k -> !k.key().isDeletedAt(now));
        if (live.isEmpty()) {
            throw foreign ? new KeyRegistryException.AccessDenied(requester, action.iamName()) : notFound(lookup, region);
        }
        KmsKey key = live.get().key();
        if (!KeyAuthorization.permitted(live.get(), requester, action, KeyAuthorization.Via.S3, region)) {
            throw new KeyRegistryException.AccessDenied(requester, action.iamName());
        }
        if (key.state() == KeyState.DISABLED) {
            throw new KeyRegistryException.Disabled(key.arn());
        }
        if (key.state() == KeyState.PENDING_DELETION) {
            throw KeyRegistryException.InvalidState.pendingDeletion(key.arn());
        }
        return new ResolvedKey(key.keyId(), key.arn(), key.accountId(), dev.sseproxy.kms.KeyRef.of(key.backendKeyName()),
                key.keyManager());
    }

    /**
     * Whether an account's root may perform the action: an AWS managed key serves its own account only
     * (it cannot be shared, spec §4.1); a customer key does what its policy says, for its owner too.
     */
    public static boolean permitted(LoadedKey loaded, String requester, KmsAction action) {
        return KeyAuthorization.permitted(loaded, KeyRequester.root(requester), action, KeyAuthorization.Via.DIRECT,
                "");
    }

    /** The "does not exist" failure for a lookup in the requester's own account. */
    public static KeyRegistryException notFound(Lookup lookup, String region) {
        if (lookup.kind() == Lookup.Kind.KEY) {
            return new KeyRegistryException.KeyNotFound(
                    KeyIdentifier.keyArn(region, lookup.accountId(), UUID.fromString(lookup.name())));
        }
        return new KeyRegistryException.AliasNotFound(KeyIdentifier.aliasArn(region, lookup.accountId(), lookup.name()));
    }
}
