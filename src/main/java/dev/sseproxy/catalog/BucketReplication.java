package dev.sseproxy.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bucket's replication configuration (PutBucketReplication's {@code ReplicationConfiguration}) in the
 * domain, as validated by the API. Stored as JSON on the bucket row ({@link #encode} / {@link #decode},
 * migration V26) so the cached {@link Bucket} carries it: a write to a bucket without replication pays
 * nothing to learn that.
 *
 * @param role  the {@code Role} ARN as given (kept to echo it; the proxy replicates as the source bucket's owner)
 * @param rules the rules in document order
 */
public record BucketReplication(String role, List<Rule> rules) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public BucketReplication {
        rules = List.copyOf(rules);
    }

    /**
     * One {@code Rule}.
     *
     * @param id                         its {@code ID} (generated when the document had none, as S3 does)
     * @param priority                   its {@code Priority}; null with the V1 schema (a rule-level {@code Prefix})
     * @param enabled                    {@code Status} Enabled
     * @param filter                     what it selects (the V1 {@code Prefix} becomes a prefix filter)
     * @param v1                         the rule used the V1 schema (rule-level {@code Prefix}, no {@code Filter}); GET echoes it so
     * @param deleteMarkerReplication    {@code DeleteMarkerReplication} Enabled (V1 rules replicate delete markers)
     * @param sseKmsEncryptedObjects     {@code SourceSelectionCriteria.SseKmsEncryptedObjects} Enabled: SSE-KMS objects replicate
     * @param replicaModifications       {@code SourceSelectionCriteria.ReplicaModifications} Enabled (kept and echoed)
     * @param existingObjectReplication  {@code ExistingObjectReplication} Enabled: objects written before the rule replicate too
     * @param destination                where replicas go
     */
    public record Rule(String id, Integer priority, boolean enabled, Filter filter, boolean v1,
            boolean deleteMarkerReplication, boolean sseKmsEncryptedObjects, boolean replicaModifications,
            boolean existingObjectReplication, Destination destination) {

        /** Whether this rule selects an object with {@code key} and {@code tags} (it may still be disabled). */
        public boolean selects(String key, Map<String, String> tags) {
            return filter.matches(key, tags);
        }
    }

    /**
     * A rule's {@code Filter}: a key prefix ("" for every key) and tags that must all be present with these values.
     * S3 allows a {@code Prefix}, one {@code Tag}, or an {@code And} of a prefix and tags.
     */
    public record Filter(String prefix, Map<String, String> tags) {
        public Filter {
            prefix = prefix == null ? "" : prefix;
            tags = tags == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        }

        public boolean matches(String key, Map<String, String> objectTags) {
            if (!key.startsWith(prefix)) {
                return false;
            }
            for (Map.Entry<String, String> t : tags.entrySet()) {
                if (!t.getValue().equals(objectTags.get(t.getKey()))) {
                    return false;
                }
            }
            return true;
        }

        /** Whether the filter looks at tags (S3 replicates no delete markers for such rules). */
        public boolean byTags() {
            return !tags.isEmpty();
        }
    }

    /**
     * A rule's {@code Destination}.
     *
     * @param bucketArn        {@code Bucket} as given ({@code arn:aws:s3:::name})
     * @param bucket           the destination bucket's name (from the ARN)
     * @param account          {@code Account}, or null
     * @param storageClass     {@code StorageClass}, or null (the source object's)
     * @param ownerOverride    {@code AccessControlTranslation.Owner} Destination
     * @param replicaKmsKeyId  {@code EncryptionConfiguration.ReplicaKmsKeyID}, or null: the destination's default encryption
     * @param replicationTimeMinutes {@code ReplicationTime} Enabled: its minutes (S3 allows 15); null: off
     * @param metricsMinutes   {@code Metrics} Enabled: its {@code EventThreshold} minutes; null: off
     */
    public record Destination(String bucketArn, String bucket, String account, String storageClass,
            boolean ownerOverride, String replicaKmsKeyId, Integer replicationTimeMinutes, Integer metricsMinutes) {
    }

    /**
     * The rules an object written now replicates by: for each destination bucket, the enabled rule of highest
     * priority (then first in document order) whose filter selects the object. Empty: the object does not
     * replicate. (S3 replicates an object to every destination one of its rules names; rules that share a
     * destination compete by priority.)
     */
    public List<Rule> rulesFor(String key, Map<String, String> tags) {
        Map<String, Rule> byDestination = new LinkedHashMap<>();
        List<Rule> ordered = new ArrayList<>(rules);
        ordered.sort(Comparator.comparing((Rule r) -> r.priority() == null ? 0 : r.priority()).reversed());
        for (Rule r : ordered) {
            if (r.enabled() && r.selects(key, tags)) {
                byDestination.putIfAbsent(r.destination().bucket(), r);
            }
        }
        return List.copyOf(byDestination.values());
    }

    /** Whether any rule needs objects written before it to replicate. */
    public boolean replicatesExistingObjects() {
        return rules.stream().anyMatch(r -> r.enabled() && r.existingObjectReplication());
    }

    /** The stored form (JSON). */
    public String encode() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The configuration stored as {@code text}; null (or a form this version cannot read) is none. */
    public static BucketReplication decode(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return JSON.readValue(text, BucketReplication.class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
