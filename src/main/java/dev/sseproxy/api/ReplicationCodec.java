package dev.sseproxy.api;

import dev.sseproxy.api.xml.ReplicationXml.AndXml;
import dev.sseproxy.api.xml.ReplicationXml.ConfigurationXml;
import dev.sseproxy.api.xml.ReplicationXml.DestinationXml;
import dev.sseproxy.api.xml.ReplicationXml.FilterXml;
import dev.sseproxy.api.xml.ReplicationXml.MinutesXml;
import dev.sseproxy.api.xml.ReplicationXml.RuleXml;
import dev.sseproxy.api.xml.ReplicationXml.StatusXml;
import dev.sseproxy.api.xml.ReplicationXml.TagXml;
import dev.sseproxy.api.xml.S3Xml;
import dev.sseproxy.catalog.BucketReplication;
import dev.sseproxy.catalog.BucketReplication.Destination;
import dev.sseproxy.catalog.BucketReplication.Filter;
import dev.sseproxy.catalog.BucketReplication.Rule;
import dev.sseproxy.error.S3Exception;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The {@code ReplicationConfiguration} document: read and checked as S3 checks it (everything that needs no
 * other bucket; {@link BucketReplicationOperation} checks the source's versioning and the destinations), and
 * written back as GetBucketReplication answers it.
 *
 * <p>What is refused, in the order checked (400 unless said):
 * <ul>
 * <li>{@code MalformedXML}: not a {@code ReplicationConfiguration}; no {@code Role}; no {@code Rule}; a rule
 *     without {@code Status} {@code Enabled|Disabled} or without {@code Destination.Bucket}; a rule with both a
 *     rule-level {@code Prefix} and a {@code Filter}, or neither; a {@code Filter} with more than one of
 *     {@code Prefix}, {@code Tag}, {@code And}, an {@code And} with fewer than two conditions, a tag without key;
 *     a {@code Priority} or {@code Minutes} that is not a number; any other {@code Status} than
 *     {@code Enabled|Disabled}; an unknown {@code StorageClass}; an {@code AccessControlTranslation.Owner}
 *     other than {@code Destination}; a {@code ReplicationTime} without {@code Time}.</li>
 * <li>{@code InvalidRequest} "Number of rules ... exceeds ... 1000" past 1000 rules.</li>
 * <li>Schema: a configuration whose rules all have a {@code Filter} is V2 and each rule needs {@code Priority}
 *     and {@code DeleteMarkerReplication} ({@code InvalidRequest} "... must be specified for this version of
 *     Cross Region Replication configuration schema..."); otherwise it is V1 and neither may appear
 *     ("... cannot be used for this version ...").</li>
 * <li>{@code InvalidArgument}: an {@code ID} longer than 255 characters, or used twice ("Rule Id must be
 *     unique"); a destination that is not {@code arn:aws:s3:::<bucket>} ("Invalid bucket ARN").</li>
 * <li>{@code InvalidRequest}: a negative priority; two rules of one destination with the same priority
 *     ("Found duplicate priority N."); {@code DeleteMarkerReplication} Enabled on a rule filtering by tags;
 *     duplicate tag keys; an empty {@code SourceSelectionCriteria}; the source bucket as destination;
 *     {@code AccessControlTranslation} without {@code Account}; {@code SseKmsEncryptedObjects} Enabled without
 *     {@code ReplicaKmsKeyID}; {@code ReplicationTime} without {@code Metrics}.</li>
 * <li>{@code InvalidArgument} about S3 RTC: {@code Time.Minutes} other than 15; with RTC Enabled, a
 *     {@code Metrics} without {@code EventThreshold} or with other than 15 minutes; without RTC, a
 *     {@code Metrics} with an {@code EventThreshold}.</li>
 * </ul>
 * {@code ReplicaKmsKeyID} is kept as given and not looked up (S3 answers 200 for a bogus key too; a replica
 * then fails). A rule without {@code ID} gets one (a random one, as S3 does). Elements whose status is
 * {@code Disabled} and that change nothing ({@code SseKmsEncryptedObjects}, {@code ReplicaModifications},
 * {@code ExistingObjectReplication}, {@code ReplicationTime}, {@code Metrics}) are not stored, so GET does not
 * echo them.
 */
final class ReplicationCodec {
    static final int MAX_RULES = 1000;
    static final String ARN_PREFIX = "arn:aws:s3:::";
    static final String TOO_MANY_RULES = "Number of rules in the replication configuration exceeds the allowed limit of 1000";
    static final String DUPLICATE_ID = "Rule Id must be unique";
    static final String ID_TOO_LONG = "Rule Id cannot be greater than 255";
    static final String INVALID_ARN = "Invalid bucket ARN";
    static final String TAG_DELETE_MARKERS = "Delete marker replication is not supported if any Tag filter is specified. "
            + "Please refer to S3 Developer Guide for more information.";
    static final String DUPLICATE_TAG_KEYS = "Duplicate Tag Keys are not allowed.";
    static final String EMPTY_CRITERIA = "SourceSelectionCriteria cannot be empty.";
    static final String SAME_BUCKET = "Destination bucket cannot be the same as the source bucket.";
    static final String ACCOUNT_NEEDED = "Account must be specified if the Owner in AccessControlTranslation has a value";
    static final String KMS_KEY_NEEDED = "ReplicaKmsKeyID must be specified if SseKmsEncryptedObjects tag is present.";
    static final String RTC_AND_METRICS = "Replication destination must contain both ReplicationTime and Metrics or neither.";
    static final String BAD_PRIORITY = "Priority must be between 0 and 2147483647.";
    private static final Set<String> STORAGE_CLASSES = Set.of("STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA",
            "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER", "DEEP_ARCHIVE", "OUTPOSTS", "GLACIER_IR");

    private ReplicationCodec() {
    }

    /** The configuration a PutBucketReplication body for {@code sourceBucket} sets. */
    static BucketReplication parse(byte[] body, String sourceBucket) {
        ConfigurationXml x = S3Xml.read(body, ConfigurationXml.class);
        if (x.role == null || x.role.isBlank() || x.rules == null || x.rules.isEmpty()) {
            throw S3Exception.malformedXml();
        }
        for (RuleXml r : x.rules) {
            if (r == null || status(r.status) == null || r.destination == null || r.destination.bucket == null
                    || (r.prefix == null) == (r.filter == null)) {
                throw S3Exception.malformedXml();
            }
        }
        if (x.rules.size() > MAX_RULES) {
            throw S3Exception.invalidRequest(TOO_MANY_RULES);
        }
        boolean v1 = x.rules.stream().anyMatch(r -> r.filter == null);
        Set<String> ids = new HashSet<>();
        Map<String, Set<Integer>> priorities = new HashMap<>();
        List<Rule> rules = new ArrayList<>();
        for (RuleXml r : x.rules) {
            Rule rule = rule(r, v1, sourceBucket);
            if (!ids.add(rule.id())) {
                throw S3Exception.invalidArgument(DUPLICATE_ID, "ID", rule.id());
            }
            if (rule.priority() != null
                    && !priorities.computeIfAbsent(rule.destination().bucket(), d -> new HashSet<>()).add(rule.priority())) {
                throw S3Exception.invalidRequest("Found duplicate priority " + rule.priority() + ".");
            }
            rules.add(rule);
        }
        return new BucketReplication(x.role.trim(), rules);
    }

    private static Rule rule(RuleXml r, boolean v1, String sourceBucket) {
        if (v1) {
            if (r.priority != null) {
                throw schema("Priority", false);
            }
            if (r.deleteMarkerReplication != null) {
                throw schema("DeleteMarkerReplication", false);
            }
        } else {
            if (r.priority == null) {
                throw schema("Priority", true);
            }
            if (r.deleteMarkerReplication == null) {
                throw schema("DeleteMarkerReplication", true);
            }
        }
        String id = r.id == null || r.id.isEmpty() ? generatedId() : r.id;
        if (id.length() > 255) {
            throw S3Exception.invalidArgument(ID_TOO_LONG, "ID", id);
        }
        Integer priority = null;
        if (!v1) {
            priority = number(r.priority);
            if (priority < 0) {
                throw S3Exception.invalidRequest(BAD_PRIORITY);
            }
        }
        Filter filter = v1 ? new Filter(r.prefix, Map.of()) : filter(r.filter);
        boolean deleteMarkers = v1 || enabled(r.deleteMarkerReplication);
        if (!v1 && deleteMarkers && filter.byTags()) {
            throw S3Exception.invalidRequest(TAG_DELETE_MARKERS);
        }
        boolean sseKms = false;
        boolean replicaModifications = false;
        if (r.sourceSelectionCriteria != null) {
            if (r.sourceSelectionCriteria.sseKmsEncryptedObjects == null && r.sourceSelectionCriteria.replicaModifications == null) {
                throw S3Exception.invalidRequest(EMPTY_CRITERIA);
            }
            sseKms = r.sourceSelectionCriteria.sseKmsEncryptedObjects != null && enabled(r.sourceSelectionCriteria.sseKmsEncryptedObjects);
            replicaModifications = r.sourceSelectionCriteria.replicaModifications != null
                    && enabled(r.sourceSelectionCriteria.replicaModifications);
        }
        boolean existing = r.existingObjectReplication != null && enabled(r.existingObjectReplication);
        Destination d = destination(r.destination, sourceBucket, sseKms);
        return new Rule(id, priority, "Enabled".equals(status(r.status)), filter, v1, deleteMarkers, sseKms,
                replicaModifications, existing, d);
    }

    private static Filter filter(FilterXml f) {
        int members = (f.prefix != null ? 1 : 0) + (f.tag != null ? 1 : 0) + (f.and != null ? 1 : 0);
        if (members > 1) {
            throw S3Exception.malformedXml();
        }
        if (f.tag != null) {
            return new Filter("", tags(List.of(f.tag)));
        }
        if (f.and != null) {
            AndXml and = f.and;
            List<TagXml> tags = and.tags == null ? List.of() : and.tags;
            if (tags.size() + (and.prefix != null ? 1 : 0) < 2) {
                throw S3Exception.malformedXml();
            }
            return new Filter(and.prefix, tags(tags));
        }
        return new Filter(f.prefix, Map.of());
    }

    private static Map<String, String> tags(List<TagXml> tags) {
        Map<String, String> out = new LinkedHashMap<>();
        for (TagXml t : tags) {
            if (t == null || t.key == null || t.key.isEmpty()) {
                throw S3Exception.malformedXml();
            }
            if (out.put(t.key, t.value == null ? "" : t.value) != null) {
                throw S3Exception.invalidRequest(DUPLICATE_TAG_KEYS);
            }
        }
        return out;
    }

    private static Destination destination(DestinationXml d, String sourceBucket, boolean sseKms) {
        String arn = d.bucket.trim();
        String name = arn.startsWith(ARN_PREFIX) ? arn.substring(ARN_PREFIX.length()) : "";
        if (name.isEmpty() || name.contains("/") || name.contains(":")) {
            throw S3Exception.invalidArgument(INVALID_ARN, "Bucket", d.bucket);
        }
        if (name.equals(sourceBucket)) {
            throw S3Exception.invalidRequest(SAME_BUCKET);
        }
        String storageClass = d.storageClass == null ? null : d.storageClass.trim();
        if (storageClass != null && !STORAGE_CLASSES.contains(storageClass)) {
            throw S3Exception.malformedXml();
        }
        String account = d.account == null || d.account.isBlank() ? null : d.account.trim();
        boolean ownerOverride = false;
        if (d.accessControlTranslation != null) {
            if (!"Destination".equals(d.accessControlTranslation.owner)) {
                throw S3Exception.malformedXml();
            }
            if (account == null) {
                throw S3Exception.invalidRequest(ACCOUNT_NEEDED);
            }
            ownerOverride = true;
        }
        String kmsKey = d.encryptionConfiguration == null || d.encryptionConfiguration.replicaKmsKeyId == null
                || d.encryptionConfiguration.replicaKmsKeyId.isBlank() ? null : d.encryptionConfiguration.replicaKmsKeyId.trim();
        if (sseKms && kmsKey == null) {
            throw S3Exception.invalidRequest(KMS_KEY_NEEDED);
        }
        Integer rtcMinutes = null;
        Integer metricsMinutes = null;
        boolean metricsOn = d.metrics != null && enabled(d.metrics.status);
        Integer threshold = d.metrics == null ? null : minutes(d.metrics.eventThreshold);
        if (d.replicationTime != null) {
            String rtcStatus = status(d.replicationTime.status);
            if (rtcStatus == null || d.replicationTime.time == null) {
                throw S3Exception.malformedXml();
            }
            if (d.metrics == null) {
                throw S3Exception.invalidRequest(RTC_AND_METRICS);
            }
            Integer time = minutes(d.replicationTime.time);
            if (time == null || time != 15) {
                throw S3Exception.invalidArgument("Invalid time minute value", "ReplicationTime", null);
            }
            if ("Enabled".equals(rtcStatus)) {
                rtcMinutes = time;
            }
        }
        if (rtcMinutes != null) {
            if (threshold == null) {
                throw S3Exception.invalidArgument("ReplicationMetrics must contain an event threshold", "ReplicationMetrics", null);
            }
            if (threshold != 15) {
                throw S3Exception.invalidArgument("Invalid event threshold minute value", "ReplicationMetrics", null);
            }
        } else if (threshold != null) {
            throw S3Exception.invalidArgument(
                    "Metrics cannot contain an event threshold when ReplicationTime is not specified or Disabled", "Metrics", null);
        }
        if (metricsOn) {
            metricsMinutes = threshold == null ? 15 : threshold;
        }
        return new Destination(arn, name, account, storageClass, ownerOverride, kmsKey, rtcMinutes, metricsMinutes);
    }

    private static S3Exception schema(String element, boolean required) {
        return S3Exception.invalidRequest(element + (required ? " must be specified" : " cannot be used")
                + " for this version of Cross Region Replication configuration schema. "
                + "Please refer to S3 Developer Guide for more information.");
    }

    /** {@code Enabled} or {@code Disabled} (trimmed), else null. */
    private static String status(String s) {
        String t = s == null ? null : s.trim();
        return "Enabled".equals(t) || "Disabled".equals(t) ? t : null;
    }

    /** The element's {@code Status} is Enabled; anything but Enabled or Disabled is MalformedXML. */
    private static boolean enabled(StatusXml x) {
        return enabled(x.status);
    }

    private static boolean enabled(String status) {
        String s = status(status);
        if (s == null) {
            throw S3Exception.malformedXml();
        }
        return s.equals("Enabled");
    }

    private static Integer minutes(MinutesXml m) {
        return m == null || m.minutes == null ? null : number(m.minutes);
    }

    private static int number(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw S3Exception.malformedXml();
        }
    }

    /** A rule ID as S3 makes one up: the base64 of a random UUID's text. */
    private static String generatedId() {
        return Base64.getEncoder().encodeToString(UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII));
    }
}
