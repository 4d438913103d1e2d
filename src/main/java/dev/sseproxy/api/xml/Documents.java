package dev.sseproxy.api.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlText;
import java.util.ArrayList;
import java.util.List;

/**
 * The S3 XML documents of buckets and objects this endpoint reads and writes (bucket listings, object
 * listings, deletes, copies, object attributes, POST answers), one nested class per document shape.
 * Multipart uploads' documents are in {@link MultipartDocuments}, those of configuration subresources
 * (ACLs, tagging, versioning, public access blocks, ownership controls, default encryption) in
 * {@link SubresourceDocuments}; {@link Root} is the base of every written one.
 */
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
        @JacksonXmlProperty(localName = "DeleteMarker") public List<DeleteMarkerXml> deleteMarkers = new ArrayList<>();
        @JacksonXmlElementWrapper(useWrapping = false)
        @JacksonXmlProperty(localName = "CommonPrefixes") public List<PrefixXml> commonPrefixes = new ArrayList<>();
    }

    /** A delete marker in ListObjectVersions. */
    public static final class DeleteMarkerXml {
        @JacksonXmlProperty(localName = "Key") public String key;
        @JacksonXmlProperty(localName = "VersionId") public String versionId;
        @JacksonXmlProperty(localName = "IsLatest") public Boolean isLatest;
        @JacksonXmlProperty(localName = "LastModified") public String lastModified;
        @JacksonXmlProperty(localName = "Owner") public OwnerXml owner;
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
        @JacksonXmlProperty(localName = "DeleteMarker") public Boolean deleteMarker;
        @JacksonXmlProperty(localName = "DeleteMarkerVersionId") public String deleteMarkerVersionId;
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

    @JacksonXmlRootElement(localName = "PostResponse")
    public static final class PostResponseXml extends Root {
        @JacksonXmlProperty(localName = "Location") public String location;
        @JacksonXmlProperty(localName = "Bucket") public String bucket;
        @JacksonXmlProperty(localName = "Key") public String key;
        @JacksonXmlProperty(localName = "ETag") public String etag;
    }
}
