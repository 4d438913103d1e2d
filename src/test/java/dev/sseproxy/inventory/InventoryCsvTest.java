package dev.sseproxy.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Rows of an inventory report as S3 writes them: quoted fields, URL-encoded keys, S3's column order. */
class InventoryCsvTest {
    static final String ARN = "arn:aws:kms:us-east-1:000000000001:key/11111111-2222-3333-4444-555555555555";

    static InventoryConfiguration config(boolean allVersions, InventoryField... fields) {
        return new InventoryConfiguration("cfg", true, "dest", Optional.empty(), "", Optional.empty(), Optional.empty(), "",
                allVersions, List.of(fields), false);
    }

    static ScannedObject kms(String key) {
        return new ScannedObject("src", key, 1234, Instant.parse("2026-12-06T15:30:00Z"), "0123456789abcdef0123456789abcdef-2",
                "ffff", true, EncryptionStatus.SSE_KMS, true, Optional.of(ARN), "STANDARD");
    }

    @Test
    void optionalFieldsFollowS3sColumnOrderWhateverOrderTheConfigurationGives() {
        InventoryCsv csv = new InventoryCsv(config(false, InventoryField.KMS_KEY_ARN, InventoryField.BUCKET_KEY_STATUS,
                InventoryField.ENCRYPTION_STATUS, InventoryField.IS_MULTIPART_UPLOADED, InventoryField.STORAGE_CLASS,
                InventoryField.ETAG, InventoryField.LAST_MODIFIED_DATE, InventoryField.SIZE));
        assertEquals("Bucket, Key, Size, LastModifiedDate, ETag, StorageClass, IsMultipartUploaded, EncryptionStatus, "
                + "BucketKeyStatus, KMSKeyArn", csv.schema());
        assertEquals("\"src\",\"a%2Fb.txt\",\"1234\",\"2026-12-06T15:30:00.000Z\",\"0123456789abcdef0123456789abcdef-2\","
                + "\"STANDARD\",\"true\",\"SSE-KMS\",\"ENABLED\",\"" + ARN + "\"\n", csv.row(kms("a/b.txt")));
    }

    @Test
    void everyS3FieldIsAcceptedAndThoseWithoutDataAreEmptyColumns() {
        InventoryCsv csv = new InventoryCsv(config(false, InventoryField.values()));
        assertEquals("Bucket, Key, Size, LastModifiedDate, ETag, StorageClass, IsMultipartUploaded, ReplicationStatus, "
                + "EncryptionStatus, ObjectLockRetainUntilDate, ObjectLockMode, ObjectLockLegalHoldStatus, "
                + "IntelligentTieringAccessTier, BucketKeyStatus, ChecksumAlgorithm, ObjectAccessControlList, ObjectOwner, "
                + "LifecycleExpirationDate, KMSKeyArn", csv.schema());
        ScannedObject plain = new ScannedObject("src", "k", 7, Instant.parse("2026-01-02T03:04:05.678Z"), "e", "e", false,
                EncryptionStatus.NOT_SSE, false, Optional.empty(), "STANDARD");
        assertEquals("\"src\",\"k\",\"7\",\"2026-01-02T03:04:05.678Z\",\"e\",\"STANDARD\",\"false\",\"\",\"NOT-SSE\",\"\","
                + "\"\",\"\",\"\",\"DISABLED\",\"\",\"\",\"\",\"\",\"\"\n", csv.row(plain));
    }

    @Test
    void allVersionsAddsS3sVersionColumnsForTheOneVersionKept() {
        InventoryCsv csv = new InventoryCsv(config(true, InventoryField.SIZE));
        assertEquals("Bucket, Key, VersionId, IsLatest, IsDeleteMarker, Size", csv.schema());
        assertEquals("\"src\",\"k\",\"\",\"true\",\"false\",\"1234\"\n", csv.row(kms("k")));
    }

    @Test
    void withoutOptionalFieldsARowIsBucketAndKey() {
        InventoryCsv csv = new InventoryCsv(config(false));
        assertEquals("Bucket, Key", csv.schema());
        assertEquals("\"src\",\"k\"\n", csv.row(kms("k")));
    }

    @Test
    void keysAreUrlEncodedSoCommasQuotesAndLineBreaksStayInOneField() {
        assertEquals("dir%2Fmy+file%2C+%22quoted%22%0A%26more.txt", InventoryCsv.encodeKey("dir/my file, \"quoted\"\n&more.txt"));
        assertEquals("caf%C3%A9%2F%E2%82%AC%2B1", InventoryCsv.encodeKey("café/€+1"));
        assertEquals("a-b_c.d*e", InventoryCsv.encodeKey("a-b_c.d*e"));
        assertEquals("%25", InventoryCsv.encodeKey("%"));
    }

    @Test
    void aQuoteInAValueIsDoubled() {
        ScannedObject o = new ScannedObject("src", "k", 1, Instant.EPOCH, "a\"b", "x", false, EncryptionStatus.SSE_S3, false,
                Optional.empty(), "STANDARD");
        assertEquals("\"src\",\"k\",\"a\"\"b\"\n", new InventoryCsv(config(false, InventoryField.ETAG)).row(o));
    }
}
