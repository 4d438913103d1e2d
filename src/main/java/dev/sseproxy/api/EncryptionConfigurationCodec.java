package dev.sseproxy.api;

import dev.sseproxy.api.xml.SubresourceDocuments.ApplyServerSideEncryptionByDefaultXml;
import dev.sseproxy.api.xml.SubresourceDocuments.BlockedEncryptionTypesXml;
import dev.sseproxy.api.xml.SubresourceDocuments.ServerSideEncryptionConfigurationXml;
import dev.sseproxy.api.xml.SubresourceDocuments.ServerSideEncryptionRuleXml;
import dev.sseproxy.api.xml.S3Xml;
import dev.sseproxy.config.S3Config.Era;
import dev.sseproxy.error.S3ErrorCode;
import dev.sseproxy.error.S3Exception;
import dev.sseproxy.sse.BucketEncryptionDefault;
import dev.sseproxy.sse.BucketEncryptionStore.BucketEncryption;
import dev.sseproxy.catalog.StoredConfig;
import dev.sseproxy.crypto.SseMode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The ServerSideEncryptionConfiguration document (spec §1): reading a PutBucketEncryption body with
 * S3's schema and semantic checks (§1.4), and writing the GetBucketEncryption answer (§1.2).
 */
final class EncryptionConfigurationCodec {
    static final String KEY_NEEDS_KMS =
            "a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse";
    static final String NONE = "NONE";
    private static final Set<String> ENCRYPTION_TYPES = Set.of(NONE, BucketEncryptionDefault.BLOCK_SSE_C);

    private EncryptionConfigurationCodec() {
    }

    /**
     * The configuration a PutBucketEncryption body asks for: exactly one Rule, carrying
     * ApplyServerSideEncryptionByDefault, BlockedEncryptionTypes or both.
     *
     * @throws S3Exception MalformedXML for anything outside the schema (including aws:fsx / aws:backup),
     *                     InvalidArgument for a KMSMasterKeyID next to AES256
     */
    static StoredConfig parse(byte[] body) {
        ServerSideEncryptionConfigurationXml doc = S3Xml.read(body, ServerSideEncryptionConfigurationXml.class);
        if (doc.rules == null || doc.rules.size() != 1 || doc.rules.get(0) == null) {
            throw S3Exception.malformedXml();
        }
        ServerSideEncryptionRuleXml rule = doc.rules.get(0);
        if (rule.byDefault == null && rule.blocked == null) {
            throw S3Exception.malformedXml();
        }
        SseMode mode = null;
        String keyId = null;
        if (rule.byDefault != null) {
            ApplyServerSideEncryptionByDefaultXml d = rule.byDefault;
            mode = d.sseAlgorithm == null ? null : SseMode.fromHeader(d.sseAlgorithm).orElse(null);
            if (mode == null) {
                throw S3Exception.malformedXml();
            }
            keyId = d.kmsMasterKeyId == null || d.kmsMasterKeyId.isEmpty() ? null : d.kmsMasterKeyId;
            if (keyId != null && !mode.isKms()) {
                throw S3Exception.invalidArgument(KEY_NEEDS_KMS, "ApplyServerSideEncryptionByDefault", null);
            }
        }
        Optional<List<String>> blocked = Optional.ofNullable(rule.blocked).map(EncryptionConfigurationCodec::types);
        return new StoredConfig(mode, keyId, Boolean.TRUE.equals(rule.bucketKeyEnabled), blocked);
    }

    private static List<String> types(BlockedEncryptionTypesXml xml) {
        Set<String> types = new LinkedHashSet<>();
        for (String t : xml.types == null ? List.<String>of() : xml.types) {
            if (t == null || !ENCRYPTION_TYPES.contains(t)) {
                throw S3Exception.malformedXml();
            }
            types.add(t);
        }
        return List.copyOf(types);
    }

    /**
     * The GetBucketEncryption document: the default that applies (SSE-S3 when none was set), the key id
     * as it was sent, BucketKeyEnabled always, and the block list (in era {@code 2026-04} always, NONE
     * when SSE-C is allowed).
     *
     * @throws S3Exception ServerSideEncryptionConfigurationNotFoundError in era {@code pre-2023} when
     *                     the bucket has no explicit configuration
     */
    static ServerSideEncryptionConfigurationXml render(String bucket, BucketEncryption encryption, Era era) {
        if (era == Era.PRE_2023 && !encryption.explicit()) {
            throw S3Exception.of(S3ErrorCode.SERVER_SIDE_ENCRYPTION_CONFIGURATION_NOT_FOUND)
                    .withDetail("BucketName", bucket);
        }
        BucketEncryptionDefault effective = encryption.effective();
        ServerSideEncryptionRuleXml rule = new ServerSideEncryptionRuleXml();
        rule.byDefault = new ApplyServerSideEncryptionByDefaultXml();
        rule.byDefault.sseAlgorithm = effective.algorithm().headerValue().orElseThrow();
        rule.byDefault.kmsMasterKeyId = effective.algorithm().isKms() ? effective.kmsMasterKeyId() : null;
        rule.bucketKeyEnabled = effective.bucketKeyEnabled();
        List<String> types = new ArrayList<>(encryption.stored().flatMap(StoredConfig::blockedEncryptionTypes)
                .orElseGet(() -> List.copyOf(new TreeSet<>(effective.blockedEncryptionTypes()))));
        if (types.isEmpty() && era == Era.Y2026_04) {
            types.add(NONE);
        }
        if (!types.isEmpty()) {
            rule.blocked = new BlockedEncryptionTypesXml();
            rule.blocked.types = types;
        }
        ServerSideEncryptionConfigurationXml doc = new ServerSideEncryptionConfigurationXml();
        doc.rules.add(rule);
        return doc;
    }

    /**
     * The configuration as CloudTrail renders a PutBucketEncryption request (spec section 8.2): the XML
     * as JSON, its namespace as an {@code xmlns} key, the one Rule as an object.
     */
    static Map<String, Object> auditForm(StoredConfig config) {
        Map<String, Object> rule = new LinkedHashMap<>();
        if (config.algorithm() != null) {
            Map<String, Object> byDefault = new LinkedHashMap<>();
            byDefault.put("SSEAlgorithm", config.algorithm().headerValue().orElseThrow());
            if (config.kmsMasterKeyId() != null) {
                byDefault.put("KMSMasterKeyID", config.kmsMasterKeyId());
            }
            rule.put("ApplyServerSideEncryptionByDefault", byDefault);
        }
        rule.put("BucketKeyEnabled", config.bucketKeyEnabled());
        config.blockedEncryptionTypes().ifPresent(t -> rule.put("BlockedEncryptionTypes",
                Map.of("EncryptionType", t.size() == 1 ? t.get(0) : t)));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("xmlns", "http://s3.amazonaws.com/doc/2006-03-01/");
        doc.put("Rule", rule);
        return doc;
    }
}
