package dev.sseproxy.backend;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import java.util.ArrayList;
import java.util.List;

/** The backend's S3 XML responses, as read by {@link MinioObjectStore} (namespaces ignored). */
public final class BackendXml {
    private BackendXml() {
    }

    /** A {@code GET ?tagging} answer. */
    public static final class Tagging {
        @JacksonXmlElementWrapper(localName = "TagSet")
        @JacksonXmlProperty(localName = "Tag") public List<Tag> tagSet = new ArrayList<>();
    }

    public static final class Tag {
        @JacksonXmlProperty(localName = "Key") public String key;
        @JacksonXmlProperty(localName = "Value") public String value;
    }

    public static final class Error {
        @JacksonXmlProperty(localName = "Code") public String code;
        @JacksonXmlProperty(localName = "Message") public String message;
    }

    public static final class Contents {
        @JacksonXmlProperty(localName = "Key") public String key;
        @JacksonXmlProperty(localName = "LastModified") public String lastModified;
        @JacksonXmlProperty(localName = "ETag") public String etag;
        @JacksonXmlProperty(localName = "Size") public long size;
        @JacksonXmlProperty(localName = "StorageClass") public String storageClass;
        /** MinIO's list-with-metadata extension ({@code metadata=true} on a v2 listing). */
        @JacksonXmlProperty(localName = "UserMetadata") public java.util.Map<String, String> userMetadata;
    }

    public static final class Prefix {
        @JacksonXmlProperty(localName = "Prefix") public String prefix;
    }

    public static final class ListBucketResult {
        @JacksonXmlProperty(localName = "IsTruncated") public boolean truncated;
        @JacksonXmlProperty(localName = "NextContinuationToken") public String nextContinuationToken;
        @JacksonXmlProperty(localName = "NextMarker") public String nextMarker;
        @JacksonXmlProperty(localName = "KeyCount") public int keyCount;
        @JacksonXmlElementWrapper(useWrapping = false)
        @JacksonXmlProperty(localName = "Contents") public List<Contents> contents = new ArrayList<>();
        @JacksonXmlElementWrapper(useWrapping = false)
        @JacksonXmlProperty(localName = "CommonPrefixes") public List<Prefix> commonPrefixes = new ArrayList<>();
    }

    public static final class InitiateMultipartUploadResult {
        @JacksonXmlProperty(localName = "UploadId") public String uploadId;
    }

    public static final class CompleteMultipartUploadResult {
        @JacksonXmlProperty(localName = "ETag") public String etag;
        @JacksonXmlProperty(localName = "ChecksumCRC32") public String checksumCrc32;
        @JacksonXmlProperty(localName = "ChecksumCRC32C") public String checksumCrc32c;
        @JacksonXmlProperty(localName = "ChecksumCRC64NVME") public String checksumCrc64nvme;
        @JacksonXmlProperty(localName = "ChecksumSHA1") public String checksumSha1;
        @JacksonXmlProperty(localName = "ChecksumSHA256") public String checksumSha256;
        @JacksonXmlProperty(localName = "ChecksumType") public String checksumType;
        /** The {@code x-amz-version-id} header of the answer (not part of the document); null: none. */
        @com.fasterxml.jackson.annotation.JsonIgnore public String versionId;
    }

    public static final class CopyResult {
        @JacksonXmlProperty(localName = "ETag") public String etag;
        @JacksonXmlProperty(localName = "LastModified") public String lastModified;
    }

    public static final class Part {
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

    public static final class ListPartsResult {
        @JacksonXmlProperty(localName = "IsTruncated") public boolean truncated;
        @JacksonXmlProperty(localName = "NextPartNumberMarker") public int nextPartNumberMarker;
        @JacksonXmlProperty(localName = "StorageClass") public String storageClass;
        @JacksonXmlProperty(localName = "ChecksumAlgorithm") public String checksumAlgorithm;
        @JacksonXmlElementWrapper(useWrapping = false)
        @JacksonXmlProperty(localName = "Part") public List<Part> parts = new ArrayList<>();
    }

    public static final class Upload {
        @JacksonXmlProperty(localName = "Key") public String key;
        @JacksonXmlProperty(localName = "UploadId") public String uploadId;
        @JacksonXmlProperty(localName = "Initiated") public String initiated;
        @JacksonXmlProperty(localName = "StorageClass") public String storageClass;
    }

    public static final class ListMultipartUploadsResult {
        @JacksonXmlProperty(localName = "IsTruncated") public boolean truncated;
        @JacksonXmlProperty(localName = "NextKeyMarker") public String nextKeyMarker;
        @JacksonXmlProperty(localName = "NextUploadIdMarker") public String nextUploadIdMarker;
        @JacksonXmlElementWrapper(useWrapping = false)
        @JacksonXmlProperty(localName = "Upload") public List<Upload> uploads = new ArrayList<>();
        @JacksonXmlElementWrapper(useWrapping = false)
        @JacksonXmlProperty(localName = "CommonPrefixes") public List<Prefix> commonPrefixes = new ArrayList<>();
    }

    public static final class Deleted {
        @JacksonXmlProperty(localName = "Key") public String key;
        @JacksonXmlProperty(localName = "VersionId") public String versionId;
        @JacksonXmlProperty(localName = "DeleteMarker") public Boolean deleteMarker;
        @JacksonXmlProperty(localName = "DeleteMarkerVersionId") public String deleteMarkerVersionId;
    }

    public static final class DeleteError {
        @JacksonXmlProperty(localName = "Key") public String key;
        @JacksonXmlProperty(localName = "VersionId") public String versionId;
        @JacksonXmlProperty(localName = "Code") public String code;
        @JacksonXmlProperty(localName = "Message") public String message;
    }

    public static final class DeleteResult {
        @JacksonXmlElementWrapper(useWrapping = false)
        @JacksonXmlProperty(localName = "Deleted") public List<Deleted> deleted = new ArrayList<>();
        @JacksonXmlElementWrapper(useWrapping = false)
        @JacksonXmlProperty(localName = "Error") public List<DeleteError> errors = new ArrayList<>();
    }

    public static final class ObjectId {
        @JacksonXmlProperty(localName = "Key") public String key;
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        @JacksonXmlProperty(localName = "VersionId") public String versionId;

        public ObjectId(String key) {
            this.key = key;
        }

        public ObjectId(String key, String versionId) {
            this.key = key;
            this.versionId = versionId;
        }
    }

    /** Request body of the backend's DeleteObjects. */
    @com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement(localName = "Delete")
    public static final class DeleteRequest {
        @JacksonXmlProperty(localName = "Quiet") public boolean quiet;
        @JacksonXmlElementWrapper(useWrapping = false)
        @JacksonXmlProperty(localName = "Object") public List<ObjectId> objects = new ArrayList<>();
    }
}
