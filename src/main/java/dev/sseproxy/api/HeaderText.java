package dev.sseproxy.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Non-ASCII header values, as S3 clients send them and S3 returns them.
 *
 * <p>On the wire: botocore (boto3, the AWS CLI) writes a header value's text as raw UTF-8 bytes
 * and signs those same bytes (SigV4 hashes the canonical request as UTF-8), so S3 hashes the
 * bytes as received. The HTTP layer here (Netty) decodes every header byte as one ISO-8859-1
 * char; {@link #utf8} turns such a value back into the text its bytes spell, so the canonical
 * request hashes exactly the bytes that arrived. A client that sends ISO-8859-1 bytes but signs
 * their UTF-8 form (the Java SDKs over Apache/URLConnection) fails here as it does on S3
 * ({@code SignatureDoesNotMatch}); bytes that are not UTF-8 read as U+FFFD.
 *
 * <p>At rest and back: S3 returns a user-metadata value holding non-ASCII characters
 * RFC 2047-encoded ({@code =?UTF-8?B?<base64 of the UTF-8 bytes>?=}), and ASCII values as they
 * are ("User-defined object metadata" in the S3 user guide). {@link #rfc2047} makes that form,
 * which is also what the backend stores, so the backend hop stays ASCII.
 */
final class HeaderText {
    private HeaderText() {
    }

    /** The text the bytes of a header value spell in UTF-8 (the value as decoded one char per byte). */
    static String utf8(String perByte) {
        return dev.sseproxy.auth.HeaderBytes.text(perByte);
    }

    /** The value as S3 returns it: unchanged when ASCII, else one RFC 2047 "B" encoded word of its UTF-8. */
    static String rfc2047(String text) {
        if (text == null || isAscii(text)) {
            return text;
        }
        return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) + "?=";
    }

    static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
