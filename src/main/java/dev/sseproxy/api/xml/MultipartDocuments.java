package dev.sseproxy.api.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import dev.sseproxy.api.xml.Documents.OwnerXml;
import dev.sseproxy.api.xml.Documents.PrefixXml;
import dev.sseproxy.api.xml.Documents.Root;
import java.util.ArrayList;
import java.util.List;

/** The S3 XML documents of multipart uploads (create, upload part copy, complete, list parts, list uploads), one nested class per document shape. */
public final class MultipartDocuments {
    private MultipartDocuments() {
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
}
