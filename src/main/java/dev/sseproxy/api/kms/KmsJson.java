package dev.sseproxy.api.kms;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.sseproxy.kms.registry.KeyState;
import dev.sseproxy.kms.registry.KmsAlias;
import dev.sseproxy.kms.registry.KmsKey;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * The JSON shapes of the AWS KMS API (JSON 1.1, {@code TrentService}), as in the KMS API reference
 * and botocore's {@code kms/2014-11-01/service-2.json}: members in UpperCamelCase, timestamps as
 * epoch seconds (numbers), absent members left out.
 */
final class KmsJson {
    /** Reads requests and writes responses: UpperCamelCase members, unknown members ignored, nulls omitted. */
    static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.UPPER_CAMEL_CASE)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private KmsJson() {
    }

    /** Epoch seconds with milliseconds, as KMS writes {@code CreationDate} and {@code DeletionDate}. */
    static BigDecimal epochSeconds(Instant t) {
        return t == null ? null : BigDecimal.valueOf(t.toEpochMilli(), 3);
    }

    // ---- requests ----

    /** CreateKey. */
    record CreateKeyRequestJson(String description, String policy, String keyUsage, String keySpec,
                                String customerMasterKeySpec, String origin, Boolean multiRegion, List<JsonNode> tags,
                                String customKeyStoreId, Boolean bypassPolicyLockoutSafetyCheck) {
    }

    /** DescribeKey, EnableKey, DisableKey, CancelKeyDeletion. */
    record KeyIdRequestJson(String keyId) {
    }

    /** ListKeys. */
    record ListKeysRequestJson(Integer limit, String marker) {
    }

    /** ScheduleKeyDeletion. */
    record ScheduleKeyDeletionRequestJson(String keyId, Integer pendingWindowInDays) {
    }

    /** CreateAlias. */
    record CreateAliasRequestJson(String aliasName, String targetKeyId) {
    }

    /** DeleteAlias. */
    record DeleteAliasRequestJson(String aliasName) {
    }

    /** ListAliases. */
    record ListAliasesRequestJson(String keyId, Integer limit, String marker) {
    }

    /** GetKeyPolicy. */
    record GetKeyPolicyRequestJson(String keyId, String policyName) {
    }

    /** PutKeyPolicy. */
    record PutKeyPolicyRequestJson(String keyId, String policyName, String policy, Boolean bypassPolicyLockoutSafetyCheck) {
    }

    // ---- responses ----

    /** {@code KeyMetadata}: what DescribeKey and CreateKey return about a key. */
    @JsonPropertyOrder({"AWSAccountId", "KeyId", "Arn", "CreationDate", "Enabled", "Description", "KeyUsage",
        "KeyState", "DeletionDate", "Origin", "KeyManager", "CustomerMasterKeySpec", "KeySpec",
        "EncryptionAlgorithms", "MultiRegion"})
    record KeyMetadataJson(@JsonProperty("AWSAccountId") String awsAccountId, String keyId, String arn,
                           BigDecimal creationDate, boolean enabled, String description, String keyUsage,
                           String keyState, BigDecimal deletionDate, String origin, String keyManager,
                           String customerMasterKeySpec, String keySpec, List<String> encryptionAlgorithms,
                           boolean multiRegion) {
        static KeyMetadataJson of(KmsKey k) {
            return new KeyMetadataJson(k.accountId(), k.keyId().toString(), k.arn(), epochSeconds(k.createdAt()),
                    k.state() == KeyState.ENABLED, k.description(), "ENCRYPT_DECRYPT", k.state().awsName(),
                    epochSeconds(k.deletionDate()), "AWS_KMS", k.keyManager().name(), "SYMMETRIC_DEFAULT",
                    "SYMMETRIC_DEFAULT", List.of("SYMMETRIC_DEFAULT"), false);
        }
    }

    /** CreateKey and DescribeKey responses. */
    record KeyMetadataResponseJson(KeyMetadataJson keyMetadata) {
        static KeyMetadataResponseJson of(KmsKey k) {
            return new KeyMetadataResponseJson(KeyMetadataJson.of(k));
        }
    }

    /** An entry of ListKeys. */
    record KeyListEntryJson(String keyId, String keyArn) {
    }

    /** ListKeys response. */
    record ListKeysResponseJson(List<KeyListEntryJson> keys, String nextMarker, boolean truncated) {
    }

    /** An entry of ListAliases. */
    record AliasListEntryJson(String aliasName, String aliasArn, String targetKeyId, BigDecimal creationDate,
                              BigDecimal lastUpdatedDate) {
        static AliasListEntryJson of(KmsAlias a, String aliasArn) {
            return new AliasListEntryJson(a.aliasName(), aliasArn, a.keyId().toString(), epochSeconds(a.createdAt()),
                    epochSeconds(a.createdAt()));
        }
    }

    /** ListAliases response. */
    record ListAliasesResponseJson(List<AliasListEntryJson> aliases, String nextMarker, boolean truncated) {
    }

    /** ScheduleKeyDeletion response ({@code KeyId} is the key ARN, as AWS answers). */
    record ScheduleKeyDeletionResponseJson(String keyId, BigDecimal deletionDate, String keyState,
                                           Integer pendingWindowInDays) {
    }

    /** CancelKeyDeletion response ({@code KeyId} is the key ARN). */
    record CancelKeyDeletionResponseJson(String keyId) {
    }

    /** GetKeyPolicy response. */
    record GetKeyPolicyResponseJson(String policy, String policyName) {
    }

    /** An error body of the JSON protocol: {@code {"__type":"NotFoundException","message":"..."}}. */
    record ErrorJson(@JsonProperty("__type") String type, @JsonProperty("message") String message) {
    }
}
