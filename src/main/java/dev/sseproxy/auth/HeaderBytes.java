package dev.sseproxy.auth;

import java.nio.charset.StandardCharsets;

/**
 * Header values as bytes. Netty decodes each header byte as one ISO-8859-1 char and encodes
 * each char up to U+00FF back as that byte, so a value that came in (or goes out) with non-ASCII
 * bytes is a "per-byte" string. SigV4 hashes the canonical request as UTF-8 and clients sign the
 * bytes they send (botocore writes header text as raw UTF-8), so a per-byte value enters a
 * canonical request as the text its bytes spell in UTF-8: {@link #text}.
 */
public final class HeaderBytes {
    private HeaderBytes() {
    }

    /**
     * The UTF-8 text the bytes of a per-byte header value spell; ASCII values (and values with a
     * char above U+00FF, which are text already) unchanged. Bytes that are not UTF-8 read as U+FFFD.
     */
    public static String text(String perByte) {
        if (perByte == null) {
            return null;
        }
        boolean ascii = true;
        for (int i = 0; i < perByte.length(); i++) {
            char c = perByte.charAt(i);
            if (c > 0xff) {
                return perByte;
            }
            ascii &= c < 0x80;
        }
        return ascii ? perByte : new String(perByte.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }
}
