package dev.sseproxy.api.xml;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import java.util.ArrayList;
import java.util.List;

/** The {@code NotificationConfiguration} document (Put/GetBucketNotificationConfiguration), elements in S3's order. */
public final class NotificationXml {
    private NotificationXml() {
    }

    @JacksonXmlRootElement(localName = "NotificationConfiguration")
    @JsonPropertyOrder({"topics", "queues", "functions", "eventBridge"})
    public static final class ConfigurationXml extends Documents.Root {
        @JacksonXmlElementWrapper(useWrapping = false)
        @JacksonXmlProperty(localName = "TopicConfiguration") public List<DestinationXml> topics = new ArrayList<>();
        @JacksonXmlElementWrapper(useWrapping = false)
        @JacksonXmlProperty(localName = "QueueConfiguration") public List<DestinationXml> queues = new ArrayList<>();
        @JacksonXmlElementWrapper(useWrapping = false)
        @JacksonXmlProperty(localName = "CloudFunctionConfiguration") public List<DestinationXml> functions = new ArrayList<>();
        /** {@code <EventBridgeConfiguration/>} reads as a non-null value (an empty string). */
        @JacksonXmlProperty(localName = "EventBridgeConfiguration") public Object eventBridge;
    }

    /** One Topic/Queue/CloudFunction configuration; only the ARN element of its kind is written. */
    @JsonPropertyOrder({"id", "topic", "queue", "cloudFunction", "events", "filter"})
    public static final class DestinationXml {
        @JacksonXmlProperty(localName = "Id") public String id;
        @JacksonXmlProperty(localName = "Topic") public String topic;
        @JacksonXmlProperty(localName = "Queue") public String queue;
        @JacksonXmlProperty(localName = "CloudFunction") public String cloudFunction;
        @JacksonXmlElementWrapper(useWrapping = false)
        @JacksonXmlProperty(localName = "Event") public List<String> events;
        @JacksonXmlProperty(localName = "Filter") public FilterXml filter;
    }

    public static final class FilterXml {
        @JacksonXmlProperty(localName = "S3Key") public S3KeyXml s3Key;
    }

    public static final class S3KeyXml {
        @JacksonXmlElementWrapper(useWrapping = false)
        @JacksonXmlProperty(localName = "FilterRule") public List<FilterRuleXml> rules;
    }

    @JsonPropertyOrder({"name", "value"})
    public static final class FilterRuleXml {
        @JacksonXmlProperty(localName = "Name") public String name;
        @JacksonXmlProperty(localName = "Value") public String value;
    }
}
