package dev.sseproxy.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The per-request shortcuts of SigV4 (cached signing keys, thread-local MACs, the hand-written date parser) give what the JCA chain and the formatter give. */
class SigV4CachesTest {

    @Test
    void cachedSigningKeyEqualsTheDerivedChain() {
        // AWS's documented example (Examples of how to derive a signing key for Signature Version 4)
        String secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
        byte[] first = SigV4.signingKey(secret, "20120215", "us-east-1", "iam");
        byte[] second = SigV4.signingKey(secret, "20120215", "us-east-1", "iam");
        assertEquals("f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d", SigV4.hex(first));
        assertArrayEquals(first, second);
        assertNotSame(first, second, "callers get their own copy");
        first[0] ^= 1;
        assertEquals("f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d",
                SigV4.hex(SigV4.signingKey(secret, "20120215", "us-east-1", "iam")));
        // another region is another key
        assertEquals(64, SigV4.hex(SigV4.signingKey(secret, "20120215", "eu-west-1", "iam")).length());
    }

    @Test
    void cacheStaysBounded() {
        for (int i = 0; i < SigV4.SIGNING_KEYS_MAX * 2 + 3; i++) {
            SigV4.signingKey("secret-" + i, "20240101", "us-east-1", "s3");
        }
        assertEquals("f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d", SigV4.hex(
                SigV4.signingKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam")));
    }

    @Test
    void amzDateParsesAsTheFormatterDoes() {
        String[] values = {"20130524T000000Z", "20240229T235959Z", "20230229T120000Z", "20240230T000000Z",
            "20240431T000000Z", "20241301T000000Z", "20240001T000000Z", "20240100T000000Z", "20240101T240000Z",
            "20240101T236000Z", "20240101T235960Z", "00000101T000000Z", "99991231T235959Z", "2024010AT000000Z",
            "20240101X000000Z", "20240101T000000z", "2024-1-1T000000Z", "+2024101T000000Z", "20240101T00000 Z",
            "19700101T000000Z", "20240115T093000Z"};
        for (String v : values) {
            assertEquals(formatter(v), AuthParser.parseAmzDate(v), v);
        }
    }

    @Test
    void amzDateFormatsTheSameWithinASecond() {
        Instant t = Instant.parse("2024-05-06T07:08:09.100Z");
        assertEquals("20240506T070809Z", SigV4.amzDate(t));
        assertEquals("20240506T070809Z", SigV4.amzDate(t.plusMillis(800)));
        assertEquals("20240506T070810Z", SigV4.amzDate(t.plusMillis(900)));
        assertEquals("20240506T070809Z", SigV4.amzDate(t));
    }

    @Test
    void threadLocalHmacGivesFreshResults() {
        byte[] key = "key".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        // RFC 4231-style known answer: HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog")
        String fox = "The quick brown fox jumps over the lazy dog";
        assertEquals("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8", SigV4.hex(SigV4.hmacSha256(key, fox)));
        assertEquals("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8", SigV4.hex(SigV4.hmacSha256(key, fox)));
        assertEquals(SigV4.EMPTY_SHA256, SigV4.hex(SigV4.sha256(new byte[0])));
        assertEquals(SigV4.EMPTY_SHA256, SigV4.hex(SigV4.sha256(new byte[0])));
    }

    private static Optional<Instant> formatter(String v) {
        try {
            return Optional.of(Instant.from(SigV4.AMZ_DATE.parse(v)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
