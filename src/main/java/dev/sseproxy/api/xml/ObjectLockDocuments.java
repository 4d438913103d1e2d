package dev.sseproxy.api.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import dev.sseproxy.api.xml.Documents.Root;

/**
 * The S3 Object Lock documents: a bucket's {@code ObjectLockConfiguration} ({@code ?object-lock}), an
 * object version's {@code Retention} ({@code ?retention}) and {@code LegalHold} ({@code ?legal-hold}).
 * Numbers and dates are read as text so that the operations answer S3's own errors for bad values
 * (MalformedXML, InvalidArgument) instead of a parser's.
 */
public final class ObjectLockDocuments {
    private ObjectLockDocuments() {
    }

    @JacksonXmlRootElement(localName = "ObjectLockConfiguration")
    public static final class ObjectLockConfigurationXml extends Root {
        @JacksonXmlProperty(localName = "ObjectLockEnabled") public String objectLockEnabled;
        @JacksonXmlProperty(localName = "Rule") public RuleXml rule;
    }

    public static final class RuleXml {
        @JacksonXmlProperty(localName = "DefaultRetention") public DefaultRetentionXml defaultRetention;
    }

    public static final class DefaultRetentionXml {
        @JacksonXmlProperty(localName = "Mode") public String mode;
        @JacksonXmlProperty(localName = "Days") public String days;
        @JacksonXmlProperty(localName = "Years") public String years;
    }

    @JacksonXmlRootElement(localName = "Retention")
    public static final class RetentionXml extends Root {
        @JacksonXmlProperty(localName = "Mode") public String mode;
        @JacksonXmlProperty(localName = "RetainUntilDate") public String retainUntilDate;
    }

    @JacksonXmlRootElement(localName = "LegalHold")
    public static final class LegalHoldXml extends Root {
        @JacksonXmlProperty(localName = "Status") public String status;
    }
}
