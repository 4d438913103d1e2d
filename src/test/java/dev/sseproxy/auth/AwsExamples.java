package dev.sseproxy.auth;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Inputs and expected values published in the AWS S3 SigV4 documentation ("Signature
 * Calculations for the Authorization Header", "Authenticating Requests: Using Query Parameters",
 * "Transferring Payload in Multiple Chunks", "Signature calculations for trailing headers",
 * POST policy examples). All use the documentation's example credentials.
 */
final class AwsExamples {

    static final String ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
    static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final String HOST = "examplebucket.s3.amazonaws.com";
    static final Instant TIME = Instant.parse("2013-05-24T00:00:00Z");
    static final String AMZ_DATE = "20130524T000000Z";
    static final String SCOPE = "20130524/us-east-1/s3/aws4_request";

    static final String GET_OBJECT_SIGNATURE = "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41";
    static final String PUT_OBJECT_SIGNATURE = "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd";
    static final String PUT_OBJECT_BODY_SHA256 = "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072";
    static final String LIFECYCLE_SIGNATURE = "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543";
    static final String LIST_OBJECTS_SIGNATURE = "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7";
    static final String PRESIGNED_SIGNATURE = "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
    static final String PRESIGNED_QUERY = "X-Amz-Algorithm=AWS4-HMAC-SHA256"
            + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
            + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
            + "&X-Amz-Signature=" + PRESIGNED_SIGNATURE;

    static final String CHUNKED_SEED = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
    static final String[] CHUNK_SIGNATURES = {
        "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
        "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
        "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9"};
    static final String TRAILER_SEED = "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e";
    static final String[] TRAILER_CHUNK_SIGNATURES = {
        "b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2",
        "1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7",
        "2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992"};
    static final String TRAILER_CRC32C = "sOO8/Q==";
    static final String TRAILER_SIGNATURE = "d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435";

    private AwsExamples() {
    }

    static Clock clockAt(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    static String authorization(String signedHeaders, String signature) {
        return "AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/" + SCOPE + ",SignedHeaders=" + signedHeaders
                + ",Signature=" + signature;
    }

    /** The "GET Object" example: GET /test.txt with Range bytes=0-9. */
    static Map<String, String> getObjectHeaders() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Host", HOST);
        h.put("Range", "bytes=0-9");
        h.put("x-amz-content-sha256", SigV4.EMPTY_SHA256);
        h.put("x-amz-date", AMZ_DATE);
        h.put("Authorization", authorization("host;range;x-amz-content-sha256;x-amz-date", GET_OBJECT_SIGNATURE));
        return h;
    }

    static SignedRequest getObject() {
        return SignedRequest.of("GET", "/test.txt", null, getObjectHeaders());
    }

    /** The chunked-upload example's seed request (65 KiB of 'a' in 64 KiB chunks). */
    static SignedRequest chunkedPut(boolean trailer) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Host", "s3.amazonaws.com");
        h.put("x-amz-date", AMZ_DATE);
        h.put("x-amz-storage-class", "REDUCED_REDUNDANCY");
        h.put("Content-Encoding", "aws-chunked");
        h.put("x-amz-decoded-content-length", "66560");
        if (trailer) {
            h.put("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER");
            h.put("x-amz-trailer", "x-amz-checksum-crc32c");
            h.put("Authorization", authorization("content-encoding;host;x-amz-content-sha256;x-amz-date;"
                    + "x-amz-decoded-content-length;x-amz-storage-class;x-amz-trailer", TRAILER_SEED));
        } else {
            h.put("Content-Length", "66824");
            h.put("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD");
            h.put("Authorization", authorization("content-encoding;content-length;host;x-amz-content-sha256;"
                    + "x-amz-date;x-amz-decoded-content-length;x-amz-storage-class", CHUNKED_SEED));
        }
        return SignedRequest.of("PUT", "/examplebucket/chunkObject.txt", null, h);
    }

    /** The decoded object of the chunked examples: 66560 bytes of 'a'. */
    static byte[] chunkedObject() {
        byte[] data = new byte[66560];
        Arrays.fill(data, (byte) 'a');
        return data;
    }

    /** The encoded body of the chunked example without trailer. */
    static byte[] chunkedBody() {
        return body(CHUNK_SIGNATURES, "\r\n");
    }

    /** The encoded body of the trailer example. */
    static byte[] trailerBody() {
        return body(TRAILER_CHUNK_SIGNATURES, "x-amz-checksum-crc32c:" + TRAILER_CRC32C
                + "\r\nx-amz-trailer-signature:" + TRAILER_SIGNATURE + "\r\n\r\n");
    }

    private static byte[] body(String[] signatures, String afterFinalChunk) {
        String a64k = "a".repeat(65536);
        String a1k = "a".repeat(1024);
        String text = "10000;chunk-signature=" + signatures[0] + "\r\n" + a64k + "\r\n"
                + "400;chunk-signature=" + signatures[1] + "\r\n" + a1k + "\r\n"
                + "0;chunk-signature=" + signatures[2] + "\r\n" + afterFinalChunk;
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
