package dev.sseproxy.api.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import dev.sseproxy.api.xml.Documents.OwnerXml;
import dev.sseproxy.api.xml.Documents.Root;
import java.util.ArrayList;
import java.util.List;

/**
 * The S3 XML documents of configuration subresources: ACLs, tagging, versioning, bucket policy status,
 * public access blocks, ownership controls and default encryption, one nested class per document shape.
 */
public final class SubresourceDocuments {
    private SubresourceDocuments() {
    }

    /** GetBucketVersioning's answer (empty for a never-versioned bucket) and PutBucketVersioning's body. */
    @JacksonXmlRootElement(localName = "VersioningConfiguration")
    public static final class VersioningConfigurationXml extends Root {
        @JacksonXmlProperty(localName = "Status") public String status;
        @JacksonXmlProperty(localName = "MfaDelete") public String mfaDelete;
    }

    public static final class GranteeXml {
        @JacksonXmlProperty(isAttribute = true, localName = "xmlns:xsi")
        public final String xsi = "http://www.w3.org/2001/XMLSchema-instance";
        @JacksonXmlProperty(isAttribute = true, localName = "xsi:type") public String type = "CanonicalUser";
        @JacksonXmlProperty(localName = "ID") public String id;
        @JacksonXmlProperty(localName = "DisplayName") public String displayName;
        @JacksonXmlProperty(localName = "URI") public String uri;
    }

    public static final class GrantXml {
        @JacksonXmlProperty(localName = "Grantee") public GranteeXml grantee;
        @JacksonXmlProperty(localName = "Permission") public String permission = "FULL_CONTROL";
    }

    @JacksonXmlRootElement(localName = "AccessControlPolicy")
    public static final class AccessControlPolicyXml extends Root {
        @JacksonXmlProperty(localName = "Owner") public OwnerXml owner;
        @JacksonXmlElementWrapper(localName = "AccessControlList")
        @JacksonXmlProperty(localName = "Grant") public List<GrantXml> grants = new ArrayList<>();
    }

    /** A client's AccessControlPolicy (PutBucketAcl / PutObjectAcl body); {@code xsi:type} is read by its local name. */
    @JacksonXmlRootElement(localName = "AccessControlPolicy")
    public static final class AccessControlPolicyInXml {
        @JacksonXmlProperty(localName = "Owner") public OwnerXml owner;
        @JacksonXmlElementWrapper(localName = "AccessControlList")
        @JacksonXmlProperty(localName = "Grant") public List<GrantInXml> grants = new ArrayList<>();
    }

    public static final class GrantInXml {
        @JacksonXmlProperty(localName = "Grantee") public GranteeInXml grantee;
        @JacksonXmlProperty(localName = "Permission") public String permission;
    }

    public static final class GranteeInXml {
        @JacksonXmlProperty(isAttribute = true, localName = "type") public String type;
        @JacksonXmlProperty(localName = "ID") public String id;
        @JacksonXmlProperty(localName = "DisplayName") public String displayName;
        @JacksonXmlProperty(localName = "URI") public String uri;
        @JacksonXmlProperty(localName = "EmailAddress") public String emailAddress;
    }

    @JacksonXmlRootElement(localName = "Tagging")
    public static final class TaggingXml extends Root {
        @JacksonXmlElementWrapper(localName = "TagSet")
        @JacksonXmlProperty(localName = "Tag") public List<TagXml> tagSet = new ArrayList<>();
    }

    public static final class TagXml {
        @JacksonXmlProperty(localName = "Key") public String key;
        @JacksonXmlProperty(localName = "Value") public String value;
    }

    @JacksonXmlRootElement(localName = "PolicyStatus")
    public static final class PolicyStatusXml extends Root {
        @JacksonXmlProperty(localName = "IsPublic") public String isPublic;
    }

    @JacksonXmlRootElement(localName = "PublicAccessBlockConfiguration")
    public static final class PublicAccessBlockConfigurationXml extends Root {
        @JacksonXmlProperty(localName = "BlockPublicAcls") public String blockPublicAcls;
        @JacksonXmlProperty(localName = "IgnorePublicAcls") public String ignorePublicAcls;
        @JacksonXmlProperty(localName = "BlockPublicPolicy") public String blockPublicPolicy;
        @JacksonXmlProperty(localName = "RestrictPublicBuckets") public String restrictPublicBuckets;
    }

    /** S3 Control's form of the document (account level), in S3 Control's namespace. */
    @JacksonXmlRootElement(localName = "PublicAccessBlockConfiguration")
    public static final class AccountPublicAccessBlockXml {
        @JacksonXmlProperty(isAttribute = true, localName = "xmlns")
        public final String xmlns = "http://awss3control.amazonaws.com/doc/2018-08-20/";
        @JacksonXmlProperty(localName = "BlockPublicAcls") public String blockPublicAcls;
        @JacksonXmlProperty(localName = "IgnorePublicAcls") public String ignorePublicAcls;
        @JacksonXmlProperty(localName = "BlockPublicPolicy") public String blockPublicPolicy;
        @JacksonXmlProperty(localName = "RestrictPublicBuckets") public String restrictPublicBuckets;
    }

    /** Body of PutBucketLogging and GetBucketLogging (element order as AWS writes it); no LoggingEnabled: off. */
    @JacksonXmlRootElement(localName = "BucketLoggingStatus")
    public static final class BucketLoggingStatusXml extends Root {
        @JacksonXmlProperty(localName = "LoggingEnabled") public LoggingEnabledXml loggingEnabled;
    }

    @com.fasterxml.jackson.annotation.JsonPropertyOrder({"TargetBucket", "Grant", "TargetPrefix", "TargetObjectKeyFormat"})
    public static final class LoggingEnabledXml {
        @JacksonXmlProperty(localName = "TargetBucket") public String targetBucket;
        @JacksonXmlElementWrapper(localName = "TargetGrants")
        @JacksonXmlProperty(localName = "Grant") public List<TargetGrantXml> targetGrants;
        @JacksonXmlProperty(localName = "TargetPrefix") public String targetPrefix;
        @JacksonXmlProperty(localName = "TargetObjectKeyFormat") public TargetObjectKeyFormatXml keyFormat;
    }

    /** A TargetGrant: read as a client's grant ({@code xsi:type} by its local name), written with {@link GranteeXml}. */
    public static final class TargetGrantXml {
        @JacksonXmlProperty(localName = "Grantee") public TargetGranteeXml grantee;
        @JacksonXmlProperty(localName = "Permission") public String permission;
    }

    /** Read: {@code type} (the local name of {@code xsi:type}); written: {@code xmlns:xsi} and {@code xsi:type}. */
    @com.fasterxml.jackson.annotation.JsonPropertyOrder({"xmlns:xsi", "xsi:type", "type", "ID", "DisplayName", "EmailAddress", "URI"})
    public static final class TargetGranteeXml {
        @JacksonXmlProperty(isAttribute = true, localName = "xmlns:xsi") public String xsi;
        @JacksonXmlProperty(isAttribute = true, localName = "xsi:type") public String xsiType;
        @JacksonXmlProperty(isAttribute = true, localName = "type") public String type;
        @JacksonXmlProperty(localName = "ID") public String id;
        @JacksonXmlProperty(localName = "DisplayName") public String displayName;
        @JacksonXmlProperty(localName = "EmailAddress") public String emailAddress;
        @JacksonXmlProperty(localName = "URI") public String uri;
    }

    /** Exactly one of the two: {@code <SimplePrefix/>} (an empty element, "" here) or a PartitionedPrefix. */
    public static final class TargetObjectKeyFormatXml {
        @JacksonXmlProperty(localName = "SimplePrefix") public String simplePrefix;
        @JacksonXmlProperty(localName = "PartitionedPrefix") public PartitionedPrefixXml partitionedPrefix;
    }

    public static final class PartitionedPrefixXml {
        @JacksonXmlProperty(localName = "PartitionDateSource") public String partitionDateSource;
    }

    @JacksonXmlRootElement(localName = "OwnershipControls")
    public static final class OwnershipControlsXml extends Root {
        @JacksonXmlElementWrapper(useWrapping = false)
        @JacksonXmlProperty(localName = "Rule") public List<OwnershipControlsRuleXml> rules = new ArrayList<>();
    }

    public static final class OwnershipControlsRuleXml {
        @JacksonXmlProperty(localName = "ObjectOwnership") public String objectOwnership;
    }

    /** Body of PutBucketEncryption and GetBucketEncryption (element order as AWS writes it). */
    @JacksonXmlRootElement(localName = "ServerSideEncryptionConfiguration")
    public static final class ServerSideEncryptionConfigurationXml extends Root {
        @JacksonXmlElementWrapper(useWrapping = false)
        @JacksonXmlProperty(localName = "Rule") public List<ServerSideEncryptionRuleXml> rules = new ArrayList<>();
    }

    public static final class ServerSideEncryptionRuleXml {
        @JacksonXmlProperty(localName = "ApplyServerSideEncryptionByDefault")
        public ApplyServerSideEncryptionByDefaultXml byDefault;
        @JacksonXmlProperty(localName = "BucketKeyEnabled") public Boolean bucketKeyEnabled;
        @JacksonXmlProperty(localName = "BlockedEncryptionTypes") public BlockedEncryptionTypesXml blocked;
    }

    public static final class ApplyServerSideEncryptionByDefaultXml {
        @JacksonXmlProperty(localName = "SSEAlgorithm") public String sseAlgorithm;
        @JacksonXmlProperty(localName = "KMSMasterKeyID") public String kmsMasterKeyId;
    }

    public static final class BlockedEncryptionTypesXml {
        @JacksonXmlElementWrapper(useWrapping = false)
        @JacksonXmlProperty(localName = "EncryptionType") public List<String> types = new ArrayList<>();
    }
}
