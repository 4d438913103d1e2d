package dev.sseproxy.api.xml;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import java.util.ArrayList;
import java.util.List;

/** The S3 Inventory documents (PutBucketInventoryConfiguration and the Get / List answers), elements in AWS's order. */
public final class InventoryXml {
    private InventoryXml() {
    }

    @JacksonXmlRootElement(localName = "InventoryConfiguration")
    @JsonPropertyOrder({"destination", "isEnabled", "filter", "id", "includedObjectVersions", "optionalFields", "schedule"})
    public static final class ConfigurationXml extends Documents.Root {
        @JacksonXmlProperty(localName = "Destination") public DestinationXml destination;
        @JacksonXmlProperty(localName = "IsEnabled") public String isEnabled;
        @JacksonXmlProperty(localName = "Filter") public FilterXml filter;
        @JacksonXmlProperty(localName = "Id") public String id;
        @JacksonXmlProperty(localName = "IncludedObjectVersions") public String includedObjectVersions;
        @JacksonXmlElementWrapper(localName = "OptionalFields")
        @JacksonXmlProperty(localName = "Field") public List<String> optionalFields;
        @JacksonXmlProperty(localName = "Schedule") public ScheduleXml schedule;
    }

    /** The same configuration inside a list (no namespace attribute of its own). */
    @JsonPropertyOrder({"destination", "isEnabled", "filter", "id", "includedObjectVersions", "optionalFields", "schedule"})
    public static final class ListedConfigurationXml {
        @JacksonXmlProperty(localName = "Destination") public DestinationXml destination;
        @JacksonXmlProperty(localName = "IsEnabled") public String isEnabled;
        @JacksonXmlProperty(localName = "Filter") public FilterXml filter;
        @JacksonXmlProperty(localName = "Id") public String id;
        @JacksonXmlProperty(localName = "IncludedObjectVersions") public String includedObjectVersions;
        @JacksonXmlElementWrapper(localName = "OptionalFields")
        @JacksonXmlProperty(localName = "Field") public List<String> optionalFields;
        @JacksonXmlProperty(localName = "Schedule") public ScheduleXml schedule;
    }

    public static final class DestinationXml {
        @JacksonXmlProperty(localName = "S3BucketDestination") public S3BucketDestinationXml s3BucketDestination;
    }

    @JsonPropertyOrder({"accountId", "bucket", "encryption", "format", "prefix"})
    public static final class S3BucketDestinationXml {
        @JacksonXmlProperty(localName = "AccountId") public String accountId;
        @JacksonXmlProperty(localName = "Bucket") public String bucket;
        @JacksonXmlProperty(localName = "Encryption") public EncryptionXml encryption;
        @JacksonXmlProperty(localName = "Format") public String format;
        @JacksonXmlProperty(localName = "Prefix") public String prefix;
    }

    /** {@code <SSE-S3/>} reads as a non-null value (an empty string); written as an empty element. */
    @JsonPropertyOrder({"sseS3", "sseKms"})
    public static final class EncryptionXml {
        @JacksonXmlProperty(localName = "SSE-S3") public Object sseS3;
        @JacksonXmlProperty(localName = "SSE-KMS") public SseKmsXml sseKms;
    }

    public static final class SseKmsXml {
        @JacksonXmlProperty(localName = "KeyId") public String keyId;
    }

    public static final class FilterXml {
        @JacksonXmlProperty(localName = "Prefix") public String prefix;
    }

    public static final class ScheduleXml {
        @JacksonXmlProperty(localName = "Frequency") public String frequency;
    }

    @JacksonXmlRootElement(localName = "ListInventoryConfigurationsResult")
    @JsonPropertyOrder({"continuationToken", "configurations", "isTruncated", "nextContinuationToken"})
    public static final class ListResultXml extends Documents.Root {
        @JacksonXmlProperty(localName = "ContinuationToken") public String continuationToken;
        @JacksonXmlElementWrapper(useWrapping = false)
        @JacksonXmlProperty(localName = "InventoryConfiguration") public List<ListedConfigurationXml> configurations =
                new ArrayList<>();
        @JacksonXmlProperty(localName = "IsTruncated") public boolean isTruncated;
        @JacksonXmlProperty(localName = "NextContinuationToken") public String nextContinuationToken;
    }
}
