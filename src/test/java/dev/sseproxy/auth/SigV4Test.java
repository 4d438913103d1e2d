package dev.sseproxy.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SigV4Test {

    @Test
    void signingKeyMatchesAwsGeneralReferenceExample() {
        // AWS General Reference, "Examples of how to derive a signing key for Signature Version 4"
        byte[] key = SigV4.signingKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "us-east-1", "iam");
        assertEquals("c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9", SigV4.hex(key));
    }

    @Test
    void emptyStringHashIsTheWellKnownConstant() {
        assertEquals(SigV4.EMPTY_SHA256, SigV4.hex(SigV4.sha256(new byte[0])));
        assertEquals(SigV4.EMPTY_SHA256, SigV4.sha256Hex(""));
    }

    @Test
    void hexIsLowerCase() {
        assertEquals("00ff10ab", SigV4.hex(new byte[] {0, (byte) 0xff, 0x10, (byte) 0xab}));
    }

    @Test
    void hmacSha256MatchesRfc4231TestCase2() {
        byte[] mac = SigV4.hmacSha256("Jefe".getBytes(StandardCharsets.US_ASCII), "what do ya want for nothing?");
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", SigV4.hex(mac));
    }

    @Test
    void headerValuesAreTrimmedAndInnerSpaceRunsCollapsed() {
        assertEquals("a b c", SigV4.canonicalHeaderValue("  a   b \t c  "));
        assertEquals("", SigV4.canonicalHeaderValue("   "));
    }

    @Test
    void repeatedHeadersAreJoinedWithCommasInCanonicalForm() {
        String block = SigV4.canonicalHeaders(Map.of("x-amz-meta-a", List.of(" one ", "two  words")),
                List.of("x-amz-meta-a"));
        assertEquals("x-amz-meta-a:one,two words\n", block);
    }

    @Test
    void canonicalRequestOfTheGetObjectExampleHashesToThePublishedValue() {
        // Published canonical-request hash of the "GET Object" example.
        String canonical = SigV4.canonicalRequest(AwsExamples.getObject(),
                List.of("host", "range", "x-amz-content-sha256", "x-amz-date"), SigV4.EMPTY_SHA256, null);
        assertEquals("7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972",
                SigV4.sha256Hex(canonical));
        assertEquals("AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
                        + "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972",
                SigV4.stringToSign(AwsExamples.AMZ_DATE, AwsExamples.SCOPE, canonical));
    }

    @Test
    void signatureComparisonIgnoresCaseButNotContent() {
        assertTrue(SigV4.signaturesEqual("abcdef", "ABCDEF"));
        assertFalse(SigV4.signaturesEqual("abcdef", "abcdee"));
        assertFalse(SigV4.signaturesEqual("abcdef", "abcde"));
    }
}
