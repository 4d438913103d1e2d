package dev.sseproxy.api.xml;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import java.util.List;

/**
 * The {@code ReplicationConfiguration} document (Put/GetBucketReplication), read with or without S3's
 * namespace and written with elements in the order GetBucketReplication answers them.
 */
public final class ReplicationXml {
    private ReplicationXml() {
    }

    @JacksonXmlRootElement(localName = "ReplicationConfiguration")
    @JsonPropertyOrder({"role", "rules"})
    public static final class ConfigurationXml extends Documents.Root {
        @JacksonXmlProperty(localName = "Role") public String role;
        @JacksonXmlElementWrapper(useWrapping = false)
        @JacksonXmlProperty(localName = "Rule") public List<RuleXml> rules;
    }

    /** One {@code Rule}: V1 has a rule-level {@code Prefix}; V2 a {@code Filter}, {@code Priority} and {@code DeleteMarkerReplication}. */
    @JsonPropertyOrder({"id", "priority", "prefix", "filter", "status", "sourceSelectionCriteria",
            "existingObjectReplication", "destination", "deleteMarkerReplication"})
    public static final class RuleXml {
        @JacksonXmlProperty(localName = "ID") public String id;
        /** Read as text: a non-integer is MalformedXML, not a Jackson failure of the whole document's shape. */
        @JacksonXmlProperty(localName = "Priority") public String priority;
        @JacksonXmlProperty(localName = "Prefix") public String prefix;
        @JacksonXmlProperty(localName = "Filter") public FilterXml filter;
        @JacksonXmlProperty(localName = "Status") public String status;
        @JacksonXmlProperty(localName = "SourceSelectionCriteria") public SourceSelectionCriteriaXml sourceSelectionCriteria;
        @JacksonXmlProperty(localName = "ExistingObjectReplication") public StatusXml existingObjectReplication;
        @JacksonXmlProperty(localName = "Destination") public DestinationXml destination;
        @JacksonXmlProperty(localName = "DeleteMarkerReplication") public StatusXml deleteMarkerReplication;
    }

    /** {@code Filter}: at most one of {@code Prefix}, {@code Tag} and {@code And}; none selects every key. */
    @JsonPropertyOrder({"prefix", "tag", "and"})
    public static final class FilterXml {
        @JacksonXmlProperty(localName = "Prefix") public String prefix;
        @JacksonXmlProperty(localName = "Tag") public TagXml tag;
        @JacksonXmlProperty(localName = "And") public AndXml and;
    }

    @JsonPropertyOrder({"prefix", "tags"})
    public static final class AndXml {
        @JacksonXmlProperty(localName = "Prefix") public String prefix;
        @JacksonXmlElementWrapper(useWrapping = false)
        @JacksonXmlProperty(localName = "Tag") public List<TagXml> tags;
    }

    @JsonPropertyOrder({"key", "value"})
    public static final class TagXml {
        @JacksonXmlProperty(localName = "Key") public String key;
        @JacksonXmlProperty(localName = "Value") public String value;
    }

    /** Any element whose only child is {@code Status} ({@code Enabled} | {@code Disabled}). */
    public static final class StatusXml {
        @JacksonXmlProperty(localName = "Status") public String status;

        public StatusXml() {
        }

        public StatusXml(boolean enabled) {
            this.status = enabled ? "Enabled" : "Disabled";
        }
    }

    @JsonPropertyOrder({"sseKmsEncryptedObjects", "replicaModifications"})
    public static final class SourceSelectionCriteriaXml {
        @JacksonXmlProperty(localName = "SseKmsEncryptedObjects") public StatusXml sseKmsEncryptedObjects;
        @JacksonXmlProperty(localName = "ReplicaModifications") public StatusXml replicaModifications;
    }

    @JsonPropertyOrder({"bucket", "account", "storageClass", "accessControlTranslation", "encryptionConfiguration",
            "replicationTime", "metrics"})
    public static final class DestinationXml {
        @JacksonXmlProperty(localName = "Bucket") public String bucket;
        @JacksonXmlProperty(localName = "Account") public String account;
        @JacksonXmlProperty(localName = "StorageClass") public String storageClass;
        @JacksonXmlProperty(localName = "AccessControlTranslation") public AccessControlTranslationXml accessControlTranslation;
        @JacksonXmlProperty(localName = "EncryptionConfiguration") public EncryptionConfigurationXml encryptionConfiguration;
        @JacksonXmlProperty(localName = "ReplicationTime") public ReplicationTimeXml replicationTime;
        @JacksonXmlProperty(localName = "Metrics") public MetricsXml metrics;
    }

    public static final class AccessControlTranslationXml {
        @JacksonXmlProperty(localName = "Owner") public String owner;
    }

    public static final class EncryptionConfigurationXml {
        @JacksonXmlProperty(localName = "ReplicaKmsKeyID") public String replicaKmsKeyId;
    }

    @JsonPropertyOrder({"status", "time"})
    public static final class ReplicationTimeXml {
        @JacksonXmlProperty(localName = "Status") public String status;
        @JacksonXmlProperty(localName = "Time") public MinutesXml time;
    }

    @JsonPropertyOrder({"status", "eventThreshold"})
    public static final class MetricsXml {
        @JacksonXmlProperty(localName = "Status") public String status;
        @JacksonXmlProperty(localName = "EventThreshold") public MinutesXml eventThreshold;
    }

    public static final class MinutesXml {
        /** Text, as {@link RuleXml#priority}. */
        @JacksonXmlProperty(localName = "Minutes") public String minutes;
    }
}
