package dev.sseproxy.api.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlText;
import java.util.ArrayList;
import java.util.List;

/** The S3 XML documents this endpoint reads and writes, one nested class per document shape. */
public final class Documents {
    private Documents() {
    }

    /** Base of every written document: the S3 default namespace on the root element. */
    public abstract static class Root {
        @JacksonXmlProperty(isAttribute = true, localName = "xmlns")
        public final String xmlns = S3Xml.NS;
    }

    public static final class OwnerXml {
        @JacksonXmlProperty(localName = "ID") public String id;
        @JacksonXmlProperty(localName = "DisplayName") public String displayName;

        public OwnerXml() {
        }

        public OwnerXml(String id, String displayName) {
            this.id = id;
            this.displayName = displayName;
        }
    }

    public static final class BucketXml {
        @JacksonXmlProperty(localName = "Name") public String name;
        @JacksonXmlProperty(localName = "CreationDate") public String creationDate;
        @JacksonXmlProperty(localName = "BucketRegion") public String bucketRegion;
    }

    @JacksonXmlRootElement(localName = "ListAllMyBucketsResult")
    public static final class ListAllMyBucketsResultXml extends Root {
        @JacksonXmlProperty(localName = "Owner") public OwnerXml owner;
        @JacksonXmlElementWrapper(localName = "Buckets")
        @JacksonXmlProperty(localName = "Bucket") public List<BucketXml> buckets = new ArrayList<>();
        @JacksonXmlProperty(localName = "Prefix") public String prefix;
        @JacksonXmlProperty(localName = "ContinuationToken") public String continuationToken;
    }

    @JacksonXmlRootElement(localName = "LocationConstraint")
    public static final class LocationConstraintXml extends Root {
        @JacksonXmlText public String value;
    }

    /** Request body of CreateBucket. */
    @JacksonXmlRootElement(localName = "CreateBucketConfiguration")
    public static final class CreateBucketConfigurationXml {
        @JacksonXmlProperty(localName = "LocationConstraint") public String locationConstraint;
    }

    public static final class ContentsXml {
        @JacksonXmlProperty(localName = "Key") public String key;
        @JacksonXmlProperty(localName = "VersionId") public String versionId;
        @JacksonXmlProperty(localName = "IsLatest") public Boolean isLatest;
        @JacksonXmlProperty(localName = "LastModified") public String lastModified;
        @JacksonXmlProperty(localName = "ETag") public String etag;
        @JacksonXmlProperty(localName = "Size") public Long size;
        @JacksonXmlProperty(localName = "Owner") public OwnerXml owner;
        @JacksonXmlProperty(localName = "StorageClass") public String storageClass;
    }

    public static final class PrefixXml {
        @JacksonXmlProperty(localName = "Prefix") public String prefix;

        public PrefixXml() {
        }

        public PrefixXml(String prefix) {
            this.prefix = prefix;
        }
    }

    /** ListObjects (v1) and ListObjectsV2 results: v1 uses Marker fields, v2 the token fields. */
    @JacksonXmlRootElement(localName = "ListBucketResult")
    public static final class ListBucketResultXml extends Root {
        @JacksonXmlProperty(localName = "Name") public String name;
        @JacksonXmlProperty(localName = "Prefix") public String prefix = "";
        @JacksonXmlProperty(localName = "Marker") public String marker;
        @JacksonXmlProperty(localName = "NextMarker") public String nextMarker;
        @JacksonXmlProperty(localName = "ContinuationToken") public String continuationToken;
        @JacksonXmlProperty(localName = "NextContinuationToken") public String nextContinuationToken;
        @JacksonXmlProperty(localName = "StartAfter") public String startAfter;
        @JacksonXmlProperty(localName = "KeyCount") public Integer keyCount;
        @JacksonXmlProperty(localName = "MaxKeys") public int maxKeys;
        @JacksonXmlProperty(localName = "Delimiter") public String delimiter;
        @JacksonXmlProperty(localName = "EncodingType") public String encodingType;
        @JacksonXmlProperty(localName = "IsTruncated") public boolean truncated;
        @JacksonXmlElementWrapper(useWrapping = false)
        @JacksonXmlProperty(localName = "Contents") public List<ContentsXml> contents = new ArrayList<>();
        @JacksonXmlElementWrapper(useWrapping = false)
        @JacksonXmlProperty(localName = "CommonPrefixes") public List<PrefixXml> commonPrefixes = new ArrayList<>();
    }

    @JacksonXmlRootElement(localName = "ListVersionsResult")
    public static final class ListVersionsResultXml extends Root {
        @JacksonXmlProperty(localName = "Name") public String name;
        @JacksonXmlProperty(localName = "Prefix") public String prefix = "";
        @JacksonXmlProperty(localName = "KeyMarker") public String keyMarker = "";
        @JacksonXmlProperty(localName = "VersionIdMarker") public String versionIdMarker = "";
        @JacksonXmlProperty(localName = "NextKeyMarker") public String nextKeyMarker;
        @JacksonXmlProperty(localName = "NextVersionIdMarker") public String nextVersionIdMarker;
        @JacksonXmlProperty(localName = "MaxKeys") public int maxKeys;
        @JacksonXmlProperty(localName = "Delimiter") public String delimiter;
        @JacksonXmlProperty(localName = "EncodingType") public String encodingType;
        @JacksonXmlProperty(localName = "IsTruncated") public boolean truncated;
        @JacksonXmlElementWrapper(useWrapping = false)
        @JacksonXmlProperty(localName = "Version") public List<ContentsXml> versions = new ArrayList<>();
        @JacksonXmlElementWrapper(useWrapping = false)
        @JacksonXmlProperty(localName = "CommonPrefixes") public List<PrefixXml> commonPrefixes = new ArrayList<>();
    }

    public static final class ObjectIdentifierXml {
        @JacksonXmlProperty(localName = "Key") public String key;
        @JacksonXmlProperty(localName = "VersionId") public String versionId;
    }

    /** Request body of DeleteObjects. */
    @JacksonXmlRootElement(localName = "Delete")
    public static final class DeleteXml {
        @JacksonXmlProperty(localName = "Quiet") public Boolean quiet;
        @JacksonXmlElementWrapper(useWrapping = false)
        @JacksonXmlProperty(localName = "Object") public List<ObjectIdentifierXml> objects = new ArrayList<>();
    }

    public static final class DeletedXml {
        @JacksonXmlProperty(localName = "Key") public String key;
        @JacksonXmlProperty(localName = "VersionId") public String versionId;
    }

    public static final class DeleteErrorXml {
        @JacksonXmlProperty(localName = "Key") public String key;
        @JacksonXmlProperty(localName = "VersionId") public String versionId;
        @JacksonXmlProperty(localName = "Code") public String code;
        @JacksonXmlProperty(localName = "Message") public String message;
    }

    @JacksonXmlRootElement(localName = "DeleteResult")
    public static final class DeleteResultXml extends Root {
        @JacksonXmlElementWrapper(useWrapping = false)
        @JacksonXmlProperty(localName = "Deleted") public List<DeletedXml> deleted = new ArrayList<>();
        @JacksonXmlElementWrapper(useWrapping = false)
        @JacksonXmlProperty(localName = "Error") public List<DeleteErrorXml> errors = new ArrayList<>();
    }

    @JacksonXmlRootElement(localName = "CopyObjectResult")
    public static final class CopyObjectResultXml extends Root {
        @JacksonXmlProperty(localName = "LastModified") public String lastModified;
        @JacksonXmlProperty(localName = "ETag") public String etag;
    }

    @JacksonXmlRootElement(localName = "CopyPartResult")
    public static final class CopyPartResultXml extends Root {
        @JacksonXmlProperty(localName = "LastModified") public String lastModified;
        @JacksonXmlProperty(localName = "ETag") public String etag;
    }

    @JacksonXmlRootElement(localName = "InitiateMultipartUploadResult")
    public static final class InitiateMultipartUploadResultXml extends Root {
        @JacksonXmlProperty(localName = "Bucket") public String bucket;
        @JacksonXmlProperty(localName = "Key") public String key;
        @JacksonXmlProperty(localName = "UploadId") public String uploadId;
    }

    public static final class CompletedPartXml {
        @JacksonXmlProperty(localName = "PartNumber") public Integer partNumber;
        @JacksonXmlProperty(localName = "ETag") public String etag;
        @JacksonXmlProperty(localName = "ChecksumCRC32") public String checksumCrc32;
        @JacksonXmlProperty(localName = "ChecksumCRC32C") public String checksumCrc32c;
        @JacksonXmlProperty(localName = "ChecksumCRC64NVME") public String checksumCrc64nvme;
        @JacksonXmlProperty(localName = "ChecksumSHA1") public String checksumSha1;
        @JacksonXmlProperty(localName = "ChecksumSHA256") public String checksumSha256;
    }

    /** Request body of CompleteMultipartUpload (also what is sent on to the backend). */
    @JacksonXmlRootElement(localName = "CompleteMultipartUpload")
    public static final class CompleteMultipartUploadXml {
        @JacksonXmlElementWrapper(useWrapping = false)
        @JacksonXmlProperty(localName = "Part") public List<CompletedPartXml> parts = new ArrayList<>();
    }

    @JacksonXmlRootElement(localName = "CompleteMultipartUploadResult")
    public static final class CompleteMultipartUploadResultXml extends Root {
        @JacksonXmlProperty(localName = "Location") public String location;
        @JacksonXmlProperty(localName = "Bucket") public String bucket;
        @JacksonXmlProperty(localName = "Key") public String key;
        @JacksonXmlProperty(localName = "ETag") public String etag;
        @JacksonXmlProperty(localName = "ChecksumCRC32") public String checksumCrc32;
        @JacksonXmlProperty(localName = "ChecksumCRC32C") public String checksumCrc32c;
        @JacksonXmlProperty(localName = "ChecksumCRC64NVME") public String checksumCrc64nvme;
        @JacksonXmlProperty(localName = "ChecksumSHA1") public String checksumSha1;
        @JacksonXmlProperty(localName = "ChecksumSHA256") public String checksumSha256;
        @JacksonXmlProperty(localName = "ChecksumType") public String checksumType;
    }

    public static final class PartXml {
        @JacksonXmlProperty(localName = "PartNumber") public int partNumber;
        @JacksonXmlProperty(localName = "LastModified") public String lastModified;
        @JacksonXmlProperty(localName = "ETag") public String etag;
        @JacksonXmlProperty(localName = "Size") public long size;
        @JacksonXmlProperty(localName = "ChecksumCRC32") public String checksumCrc32;
        @JacksonXmlProperty(localName = "ChecksumCRC32C") public String checksumCrc32c;
        @JacksonXmlProperty(localName = "ChecksumCRC64NVME") public String checksumCrc64nvme;
        @JacksonXmlProperty(localName = "ChecksumSHA1") public String checksumSha1;
        @JacksonXmlProperty(localName = "ChecksumSHA256") public String checksumSha256;
    }

    @JacksonXmlRootElement(localName = "ListPartsResult")
    public static final class ListPartsResultXml extends Root {
        @JacksonXmlProperty(localName = "Bucket") public String bucket;
        @JacksonXmlProperty(localName = "Key") public String key;
        @JacksonXmlProperty(localName = "UploadId") public String uploadId;
        @JacksonXmlProperty(localName = "Initiator") public OwnerXml initiator;
        @JacksonXmlProperty(localName = "Owner") public OwnerXml owner;
        @JacksonXmlProperty(localName = "StorageClass") public String storageClass = "STANDARD";
        @JacksonXmlProperty(localName = "PartNumberMarker") public int partNumberMarker;
        @JacksonXmlProperty(localName = "NextPartNumberMarker") public int nextPartNumberMarker;
        @JacksonXmlProperty(localName = "MaxParts") public int maxParts;
        @JacksonXmlProperty(localName = "IsTruncated") public boolean truncated;
        @JacksonXmlProperty(localName = "ChecksumAlgorithm") public String checksumAlgorithm;
        @JacksonXmlElementWrapper(useWrapping = false)
        @JacksonXmlProperty(localName = "Part") public List<PartXml> parts = new ArrayList<>();
    }

    public static final class UploadXml {
        @JacksonXmlProperty(localName = "Key") public String key;
        @JacksonXmlProperty(localName = "UploadId") public String uploadId;
        @JacksonXmlProperty(localName = "Initiator") public OwnerXml initiator;
        @JacksonXmlProperty(localName = "Owner") public OwnerXml owner;
        @JacksonXmlProperty(localName = "StorageClass") public String storageClass = "STANDARD";
        @JacksonXmlProperty(localName = "Initiated") public String initiated;
    }

    @JacksonXmlRootElement(localName = "ListMultipartUploadsResult")
    public static final class ListMultipartUploadsResultXml extends Root {
        @JacksonXmlProperty(localName = "Bucket") public String bucket;
        @JacksonXmlProperty(localName = "KeyMarker") public String keyMarker = "";
        @JacksonXmlProperty(localName = "UploadIdMarker") public String uploadIdMarker = "";
        @JacksonXmlProperty(localName = "NextKeyMarker") public String nextKeyMarker;
        @JacksonXmlProperty(localName = "NextUploadIdMarker") public String nextUploadIdMarker;
        @JacksonXmlProperty(localName = "Prefix") public String prefix;
        @JacksonXmlProperty(localName = "Delimiter") public String delimiter;
        @JacksonXmlProperty(localName = "MaxUploads") public int maxUploads;
        @JacksonXmlProperty(localName = "EncodingType") public String encodingType;
        @JacksonXmlProperty(localName = "IsTruncated") public boolean truncated;
        @JacksonXmlElementWrapper(useWrapping = false)
        @JacksonXmlProperty(localName = "Upload") public List<UploadXml> uploads = new ArrayList<>();
        @JacksonXmlElementWrapper(useWrapping = false)
        @JacksonXmlProperty(localName = "CommonPrefixes") public List<PrefixXml> commonPrefixes = new ArrayList<>();
    }

    /** GetObjectAttributes: each element only when its attribute was asked for (element order as AWS writes it). */
    @JacksonXmlRootElement(localName = "GetObjectAttributesResponse")
    public static final class GetObjectAttributesResponseXml extends Root {
        @JacksonXmlProperty(localName = "ETag") public String etag;
        @JacksonXmlProperty(localName = "Checksum") public ChecksumXml checksum;
        @JacksonXmlProperty(localName = "ObjectParts") public ObjectPartsXml objectParts;
        @JacksonXmlProperty(localName = "StorageClass") public String storageClass;
        @JacksonXmlProperty(localName = "ObjectSize") public Long objectSize;
    }

    public static final class ChecksumXml {
        @JacksonXmlProperty(localName = "ChecksumCRC32") public String checksumCrc32;
        @JacksonXmlProperty(localName = "ChecksumCRC32C") public String checksumCrc32c;
        @JacksonXmlProperty(localName = "ChecksumCRC64NVME") public String checksumCrc64nvme;
        @JacksonXmlProperty(localName = "ChecksumSHA1") public String checksumSha1;
        @JacksonXmlProperty(localName = "ChecksumSHA256") public String checksumSha256;
        @JacksonXmlProperty(localName = "ChecksumType") public String checksumType;
    }

    /** A page of an object's parts ({@code PartsCount} is the object's total). */
    public static final class ObjectPartsXml {
        @JacksonXmlProperty(localName = "IsTruncated") public boolean truncated;
        @JacksonXmlProperty(localName = "MaxParts") public int maxParts;
        @JacksonXmlProperty(localName = "NextPartNumberMarker") public int nextPartNumberMarker;
        @JacksonXmlProperty(localName = "PartNumberMarker") public int partNumberMarker;
        @JacksonXmlElementWrapper(useWrapping = false)
        @JacksonXmlProperty(localName = "Part") public List<ObjectPartXml> parts = new ArrayList<>();
        @JacksonXmlProperty(localName = "PartsCount") public int partsCount;
    }

    public static final class ObjectPartXml {
        @JacksonXmlProperty(localName = "PartNumber") public int partNumber;
        @JacksonXmlProperty(localName = "Size") public long size;
    }

    @JacksonXmlRootElement(localName = "VersioningConfiguration")
    public static final class VersioningConfigurationXml extends Root {
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

    @JacksonXmlRootElement(localName = "OwnershipControls")
    public static final class OwnershipControlsXml extends Root {
        @JacksonXmlElementWrapper(useWrapping = false)
        @JacksonXmlProperty(localName = "Rule") public List<OwnershipControlsRuleXml> rules = new ArrayList<>();
    }

    public static final class OwnershipControlsRuleXml {
        @JacksonXmlProperty(localName = "ObjectOwnership") public String objectOwnership;
    }

    @JacksonXmlRootElement(localName = "PostResponse")
    public static final class PostResponseXml extends Root {
        @JacksonXmlProperty(localName = "Location") public String location;
        @JacksonXmlProperty(localName = "Bucket") public String bucket;
        @JacksonXmlProperty(localName = "Key") public String key;
        @JacksonXmlProperty(localName = "ETag") public String etag;
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
