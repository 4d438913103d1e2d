package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;

/**
 * S3 over TLS. Over HTTPS the AWS SDK v2 switches to unsigned aws-chunked bodies with a CRC32
 * trailer (STREAMING-UNSIGNED-PAYLOAD-TRAILER), so this also proves that path end to end.
 */
class TlsIT {
    @Test
    void sdkOverTlsPutsWithTrailerChecksumAndReadsBack() {
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(data);
        try (S3Client s3 = Clients.tlsSdk()) {
            String bucket = Clients.bucketName("tls");
            s3.createBucket(b -> b.bucket(bucket));
            var put = s3.putObject(b -> b.bucket(bucket).key("over-tls"), RequestBody.fromBytes(data));
            assertNotNull(put.checksumCRC32(), "trailer checksum verified and echoed");
            var got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("over-tls").checksumMode(ChecksumMode.ENABLED));
            assertArrayEquals(data, got.asByteArray());
            assertEquals(put.checksumCRC32(), got.response().checksumCRC32(), "the trailer checksum was stored");
            assertEquals(put.eTag(), got.response().eTag());
        }
    }
}
