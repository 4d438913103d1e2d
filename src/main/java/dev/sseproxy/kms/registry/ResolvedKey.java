package dev.sseproxy.kms.registry;

import dev.sseproxy.kms.KeyRef;
import java.util.UUID;

/**
 * A key the data path may use for the requested action: enabled, and granted to the requester.
 *
 * @param keyId      the key id
 * @param arn        the key ARN, which S3 reports in {@code x-amz-server-side-encryption-aws-kms-key-id}
 *                   whatever form was requested
 * @param accountId  the owning account
 * @param backendKey the key at the KMS backend
 * @param keyManager customer or AWS managed
 */
public record ResolvedKey(UUID keyId, String arn, String accountId, KeyRef backendKey, KeyManager keyManager) {
}
