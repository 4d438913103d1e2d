package dev.sseproxy.api;

import dev.sseproxy.api.xml.ReplicationXml;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The replication configuration written out: GetBucketReplication's {@code ReplicationConfiguration} document
 * and the audit trail's {@code requestParameters} for PutBucketReplication. {@link ReplicationCodec} reads it.
 */
final class ReplicationDocuments {
    private ReplicationDocuments() {
    }

    /** GetBucketReplication's document: V1 rules as V1 (rule-level Prefix), V2 rules with Filter, Priority and DeleteMarkerReplication. */
    static ConfigurationXml document(BucketReplication c) {
        ConfigurationXml x = new ConfigurationXml();
        x.role = c.role();
        x.rules = new ArrayList<>();
        for (Rule r : c.rules()) {
            RuleXml rx = new RuleXml();
            rx.id = r.id();
            rx.status = r.enabled() ? "Enabled" : "Disabled";
            if (r.v1()) {
                rx.prefix = r.filter().prefix();
            } else {
                rx.priority = Integer.toString(r.priority() == null ? 0 : r.priority());
                rx.filter = filterDocument(r.filter());
                rx.deleteMarkerReplication = new StatusXml(r.deleteMarkerReplication());
            }
            if (r.sseKmsEncryptedObjects() || r.replicaModifications()) {
                rx.sourceSelectionCriteria = new ReplicationXml.SourceSelectionCriteriaXml();
                rx.sourceSelectionCriteria.sseKmsEncryptedObjects = r.sseKmsEncryptedObjects() ? new StatusXml(true) : null;
                rx.sourceSelectionCriteria.replicaModifications = r.replicaModifications() ? new StatusXml(true) : null;
            }
            if (r.existingObjectReplication()) {
                rx.existingObjectReplication = new StatusXml(true);
            }
            rx.destination = destinationDocument(r.destination());
            x.rules.add(rx);
        }
        return x;
    }

    /**
     * The configuration as CloudTrail's {@code requestParameters.ReplicationConfiguration} shows it: the document's
     * elements by name, a list of {@code Rule}s.
     */
    static Map<String, Object> auditParameters(BucketReplication c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("xmlns", S3Xml.NS);
        out.put("Role", c.role());
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Rule r : c.rules()) {
            Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("ID", r.id());
            if (r.priority() != null) {
                rule.put("Priority", r.priority());
            }
            if (r.v1()) {
                rule.put("Prefix", r.filter().prefix());
            } else {
                Map<String, Object> filter = new LinkedHashMap<>();
                filter.put("Prefix", r.filter().prefix());
                if (!r.filter().tags().isEmpty()) {
                    filter.put("Tag", r.filter().tags().entrySet().stream()
                            .map(e -> Map.of("Key", e.getKey(), "Value", e.getValue())).toList());
                }
                rule.put("Filter", filter);
                rule.put("DeleteMarkerReplication", Map.of("Status", r.deleteMarkerReplication() ? "Enabled" : "Disabled"));
            }
            rule.put("Status", r.enabled() ? "Enabled" : "Disabled");
            Map<String, Object> destination = new LinkedHashMap<>();
            destination.put("Bucket", r.destination().bucketArn());
            if (r.destination().replicaKmsKeyId() != null) {
                destination.put("EncryptionConfiguration", Map.of("ReplicaKmsKeyID", r.destination().replicaKmsKeyId()));
            }
            rule.put("Destination", destination);
            rules.add(rule);
        }
        out.put("Rule", rules);
        return out;
    }

    private static FilterXml filterDocument(Filter f) {
        FilterXml fx = new FilterXml();
        if (f.tags().isEmpty()) {
            fx.prefix = f.prefix();
        } else if (f.tags().size() == 1 && f.prefix().isEmpty()) {
            fx.tag = tag(f.tags().entrySet().iterator().next());
        } else {
            fx.and = new AndXml();
            fx.and.prefix = f.prefix().isEmpty() ? null : f.prefix();
            fx.and.tags = f.tags().entrySet().stream().map(ReplicationDocuments::tag).toList();
        }
        return fx;
    }

    private static TagXml tag(Map.Entry<String, String> e) {
        TagXml t = new TagXml();
        t.key = e.getKey();
        t.value = e.getValue();
        return t;
    }

    private static DestinationXml destinationDocument(Destination d) {
        DestinationXml dx = new DestinationXml();
        dx.bucket = d.bucketArn();
        dx.account = d.account();
        dx.storageClass = d.storageClass();
        if (d.ownerOverride()) {
            dx.accessControlTranslation = new ReplicationXml.AccessControlTranslationXml();
            dx.accessControlTranslation.owner = "Destination";
        }
        if (d.replicaKmsKeyId() != null) {
            dx.encryptionConfiguration = new ReplicationXml.EncryptionConfigurationXml();
            dx.encryptionConfiguration.replicaKmsKeyId = d.replicaKmsKeyId();
        }
        if (d.replicationTimeMinutes() != null) {
            dx.replicationTime = new ReplicationXml.ReplicationTimeXml();
            dx.replicationTime.status = "Enabled";
            dx.replicationTime.time = minutesDocument(d.replicationTimeMinutes());
        }
        if (d.metricsMinutes() != null) {
            dx.metrics = new ReplicationXml.MetricsXml();
            dx.metrics.status = "Enabled";
            dx.metrics.eventThreshold = d.replicationTimeMinutes() == null ? null : minutesDocument(d.metricsMinutes());
        }
        return dx;
    }

    private static MinutesXml minutesDocument(int minutes) {
        MinutesXml m = new MinutesXml();
        m.minutes = Integer.toString(minutes);
        return m;
    }
}
