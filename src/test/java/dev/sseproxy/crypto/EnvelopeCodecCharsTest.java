package dev.sseproxy.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The envelope codec's hand-written field checks accept exactly what their regular expressions did. */
class EnvelopeCodecCharsTest {

    @Test
    void sameAnswersAsTheRegularExpressions() {
        String[] values = {"", "0", "00", "01", "1", "9", "10", "1234567890123456789", "12345678901234567890",
            "9999999999999999999", "-1", "+1", "1a", " 1", "1 ", "١", "abc", "AbZ09_-", "a=b", "a/b", "a+b", "_", "-",
            "é", "A\u0000", "0x10"};
        for (String v : values) {
            assertEquals(v.matches("0|[1-9][0-9]{0,18}"), EnvelopeCodec.isDecimal(v), "decimal " + v);
            assertEquals(v.matches("[A-Za-z0-9_-]+"), EnvelopeCodec.isBase64Url(v), "base64url " + v);
        }
    }
}
