package dev.sseproxy.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.auth.AuthException.Kind;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RequestChecksumsTest {

    private static Map<String, List<String>> headers(String... pairs) {
        Map<String, List<String>> h = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            h.put(pairs[i], List.of(pairs[i + 1]));
        }
        return h;
    }

    private static RunningChecksum helloWorld(ChecksumAlgorithm a) {
        RunningChecksum c = a.newChecksum();
        byte[] data = "hello world".getBytes(StandardCharsets.US_ASCII);
        c.update(data, 0, data.length);
        return c;
    }

    private static AuthException fails(Map<String, List<String>> h, Kind kind) {
        AuthException e = assertThrows(AuthException.class, () -> RequestChecksums.fromHeaders(h));
        assertEquals(kind, e.kind(), e.getMessage());
        return e;
    }

    @Test
    void noChecksumHeadersMeansNoExpectation() {
        assertEquals(Optional.empty(), RequestChecksums.fromHeaders(headers("x-amz-checksum-mode", "ENABLED")));
    }

    @Test
    void checksumHeaderIsFoundAndChecked() {
        RequestChecksums.Expected e = RequestChecksums.fromHeaders(headers("x-amz-checksum-crc32", "DUoRhQ==",
                "x-amz-sdk-checksum-algorithm", "CRC32")).orElseThrow();
        assertEquals(ChecksumAlgorithm.CRC32, e.algorithm());
        assertDoesNotThrow(() -> e.check(Map.of(), helloWorld(ChecksumAlgorithm.CRC32)));
        RunningChecksum other = ChecksumAlgorithm.CRC32.newChecksum();
        AuthException bad = assertThrows(AuthException.class, () -> e.check(Map.of(), other));
        assertEquals(Kind.BAD_DIGEST, bad.kind());
        assertEquals("The CRC32 you specified did not match the calculated checksum.", bad.getMessage());
    }

    @Test
    void trailerChecksumIsTakenFromTheDecodedTrailer() {
        RequestChecksums.Expected e = RequestChecksums.fromHeaders(headers("x-amz-trailer", "x-amz-checksum-crc32",
                "x-amz-sdk-checksum-algorithm", "crc32")).orElseThrow();
        assertTrue(e.inTrailer());
        assertDoesNotThrow(() -> e.check(Map.of("x-amz-checksum-crc32", "DUoRhQ=="),
                helloWorld(ChecksumAlgorithm.CRC32)));
        AuthException missing = assertThrows(AuthException.class,
                () -> e.check(Map.of(), helloWorld(ChecksumAlgorithm.CRC32)));
        assertEquals("Value for x-amz-checksum-crc32 header is invalid.", missing.getMessage());
    }

    @Test
    void malformedValueIsInvalidWithTheAlgorithmNamed() {
        AuthException e = fails(headers("x-amz-checksum-sha256", "DUoRhQ=="), Kind.INVALID_CHECKSUM_VALUE);
        assertEquals("Value for x-amz-checksum-sha256 header is invalid.", e.getMessage());
        assertEquals("InvalidRequest", e.kind().s3Code());
    }

    @Test
    void twoChecksumTypesAreRejected() {
        AuthException e = fails(headers("x-amz-checksum-crc32", "DUoRhQ==", "x-amz-checksum-crc32c", "yZRlqg=="),
                Kind.MULTIPLE_CHECKSUMS);
        assertEquals("Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.",
                e.getMessage());
        fails(headers("x-amz-checksum-crc32", "DUoRhQ==", "x-amz-trailer", "x-amz-checksum-crc32c"),
                Kind.MULTIPLE_CHECKSUMS);
    }

    @Test
    void sdkAlgorithmWithoutMatchingChecksumIsRejected() {
        fails(headers("x-amz-sdk-checksum-algorithm", "CRC32"), Kind.MISSING_CHECKSUM_FOR_SDK_ALGORITHM);
        fails(headers("x-amz-sdk-checksum-algorithm", "CRC32C", "x-amz-checksum-crc32", "DUoRhQ=="),
                Kind.MISSING_CHECKSUM_FOR_SDK_ALGORITHM);
        fails(headers("x-amz-sdk-checksum-algorithm", "WHIRLPOOL", "x-amz-checksum-crc32", "DUoRhQ=="),
                Kind.INVALID_CHECKSUM_VALUE);
    }

    @Test
    void unknownTrailerIsRejected() {
        fails(headers("x-amz-trailer", "x-amz-meta-foo"), Kind.UNSUPPORTED_TRAILER);
    }

    @Test
    void contentMd5IsDecodedAndValidated() throws Exception {
        byte[] md5 = MessageDigest.getInstance("MD5").digest("hello world".getBytes(StandardCharsets.US_ASCII));
        String b64 = java.util.Base64.getEncoder().encodeToString(md5);
        assertArrayEquals(md5, RequestChecksums.contentMd5(headers("content-md5", b64)).orElseThrow());
        assertEquals(Optional.empty(), RequestChecksums.contentMd5(headers()));
        AuthException e = assertThrows(AuthException.class,
                () -> RequestChecksums.contentMd5(headers("content-md5", "DUoRhQ==")));
        assertEquals(Kind.INVALID_DIGEST, e.kind());
        assertEquals("InvalidDigest", e.kind().s3Code());
        assertThrows(AuthException.class, () -> RequestChecksums.contentMd5(headers("content-md5", "!!")));
        assertDoesNotThrow(() -> RequestChecksums.checkContentMd5(md5, md5.clone()));
        AuthException bad = assertThrows(AuthException.class,
                () -> RequestChecksums.checkContentMd5(md5, new byte[16]));
        assertEquals("The Content-MD5 you specified did not match what we received.", bad.getMessage());
        assertEquals("BadDigest", bad.kind().s3Code());
    }
}
