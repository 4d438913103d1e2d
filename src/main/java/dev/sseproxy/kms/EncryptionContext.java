package dev.sseproxy.kms;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The canonical byte form of an encryption context (AWS's string-to-string map), which both
 * adapters bind to every ciphertext: Vault as the Transit {@code context} (key derivation), the
 * local KMS as AES-GCM associated data.
 *
 * <p><b>Canonical form</b> (a persistent format: every stored ciphertext depends on it, so it is
 * written here by hand rather than left to a JSON library's defaults): the RFC 8785 (JCS) form of
 * a JSON object whose members are all strings, as UTF-8. That is: members sorted by key, comparing
 * UTF-16 code units ({@link String#compareTo}); no whitespace; in strings, {@code "} and
 * {@code \} are escaped with a backslash, U+0008/09/0A/0C/0D as backslash-b, -t, -n, -f, -r, other
 * characters below U+0020 as backslash-u and four lower-case hex digits, everything else is written as
 * itself. The empty context is {@code {}}, never empty bytes (a derived Transit key needs a
 * non-empty context). Strings with unpaired surrogates are refused.
 *
 * <p>Example: {@code {"b":"2","a":"1"}} and {@code {"a":"1","b":"2"}} both become
 * {@code {"a":"1","b":"2"}}.
 */
public final class EncryptionContext {
    private EncryptionContext() {
    }

    /** The canonical UTF-8 bytes of {@code context} (see the class documentation). */
    public static byte[] canonical(Map<String, String> context) {
        StringBuilder out = new StringBuilder("{");
        for (Map.Entry<String, String> e : new TreeMap<>(context).entrySet()) {
            if (out.length() > 1) {
                out.append(',');
            }
            appendString(out, e.getKey());
            out.append(':');
            appendString(out, e.getValue());
        }
        return out.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void appendString(StringBuilder out, String s) {
        if (s == null) {
            throw new IllegalArgumentException("encryption context keys and values must not be null");
        }
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    out.append(c).append(s.charAt(++i));
                    continue;
                }
                throw new IllegalArgumentException("encryption context holds an unpaired surrogate");
            }
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
