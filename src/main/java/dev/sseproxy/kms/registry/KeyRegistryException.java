package dev.sseproxy.kms.registry;

/**
 * Failures of the key registry that a client causes. Messages are AWS's own (spec §4.5 for those
 * the data path reports through S3); none carries key material or credentials.
 *
 * <p>The S3 error translator and the KMS API each map every permitted subclass; tests walk them all.
 */
public abstract sealed class KeyRegistryException extends RuntimeException
        permits KeyRegistryException.InvalidKeyId, KeyRegistryException.KeyNotFound, KeyRegistryException.InvalidArn,
        KeyRegistryException.AliasNotFound, KeyRegistryException.Disabled, KeyRegistryException.InvalidState,
        KeyRegistryException.AccessDenied, KeyRegistryException.AlreadyExists, KeyRegistryException.Validation,
        KeyRegistryException.NotAuthorized, KeyRegistryException.Unsupported, KeyRegistryException.MalformedPolicy,
        KeyRegistryException.LimitExceeded, KeyRegistryException.InvalidMarker {

    KeyRegistryException(String message) {
        super(message, null, false, false);
    }

    /** Not a key id, key ARN, alias name or alias ARN: {@code Invalid keyId 'fake-key-id'}. */
    public static final class InvalidKeyId extends KeyRegistryException {
        public InvalidKeyId(String keyId) {
            super("Invalid keyId '" + keyId + "'");
        }
    }

    /** A well-formed key id or ARN of no key: {@code Key 'arn:aws:kms:…:key/…' does not exist}. */
    public static final class KeyNotFound extends KeyRegistryException {
        public KeyNotFound(String keyArn) {
            super("Key '" + keyArn + "' does not exist");
        }
    }

    /** An ARN of another region than the proxy's: {@code Invalid arn us-west-2}. */
    public static final class InvalidArn extends KeyRegistryException {
        public InvalidArn(String region) {
            super("Invalid arn " + region);
        }
    }

    /** An alias that does not exist: {@code Alias arn:aws:kms:…:alias/name is not found.} */
    public static final class AliasNotFound extends KeyRegistryException {
        public AliasNotFound(String aliasArn) {
            super("Alias " + aliasArn + " is not found.");
        }
    }

    /** The key is disabled: {@code arn:aws:kms:…:key/… is disabled.} */
    public static final class Disabled extends KeyRegistryException {
        public Disabled(String keyArn) {
            super(keyArn + " is disabled.");
        }
    }

    /** The key's state forbids the operation ({@code KMSInvalidStateException}). */
    public static final class InvalidState extends KeyRegistryException {
        private InvalidState(String message) {
            super(message);
        }

        /** {@code arn:aws:kms:…:key/… is pending deletion.} */
        public static InvalidState pendingDeletion(String keyArn) {
            return new InvalidState(keyArn + " is pending deletion.");
        }

        /** {@code arn:aws:kms:…:key/… is not pending deletion.} */
        public static InvalidState notPendingDeletion(String keyArn) {
            return new InvalidState(keyArn + " is not pending deletion.");
        }
    }

    /**
     * The key policy grants the requester nothing for this action, or the key is another account's
     * and does not exist or cannot be shared. The message is KMS's current wording.
     */
    public static final class AccessDenied extends KeyRegistryException {
        public AccessDenied(String requesterAccountId, String iamAction) {
            this(KeyRequester.root(requesterAccountId), iamAction);
        }

        /** The denial naming the requester's ARN (its root's, or its user's). */
        public AccessDenied(KeyRequester requester, String iamAction) {
            super("User: " + requester.arn() + " is not authorized to perform: " + iamAction
                    + " on this resource because the resource does not exist in this Region, no resource-based "
                    + "policies allow access, or a resource-based policy explicitly denies access");
        }
    }

    /** An alias of that name exists already. */
    public static final class AlreadyExists extends KeyRegistryException {
        public AlreadyExists(String aliasArn) {
            super("An alias with the name " + aliasArn + " already exists");
        }
    }

    /** A parameter outside its constraints ({@code ValidationException}). */
    public static final class Validation extends KeyRegistryException {
        public Validation(String message) {
            super(message);
        }
    }

    /** An alias in the namespace reserved for AWS managed keys ({@code alias/aws/}). */
    public static final class NotAuthorized extends KeyRegistryException {
        public NotAuthorized(String message) {
            super(message);
        }
    }

    /** Something sse-proxy does not do (other key specs, tags, changing an AWS managed key). */
    public static final class Unsupported extends KeyRegistryException {
        public Unsupported(String message) {
            super(message);
        }
    }

    /** A key policy that is not JSON, not a policy, or uses elements sse-proxy cannot honour. */
    public static final class MalformedPolicy extends KeyRegistryException {
        public MalformedPolicy(String message) {
            super(message);
        }
    }

    /** A key policy over the size quota (32 KiB) or over the statement bound ({@code LimitExceededException}). */
    public static final class LimitExceeded extends KeyRegistryException {
        public LimitExceeded(String message) {
            super(message);
        }
    }

    /** A listing marker that no earlier response gave out. */
    public static final class InvalidMarker extends KeyRegistryException {
        public InvalidMarker() {
            super("The marker is not valid: pass the NextMarker of the previous response.");
        }
    }
}
