package dev.sseproxy.it;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The envelope fields of an object as read from MinIO directly, whichever layout stored them (crypto
 * package documentation, "Envelope"): written out here from the documented format, not with the
 * proxy's own codec, so the tests check what is at rest.
 */
final class StoredEnvelope {
    static final String PACKED = "sse-proxy-envelope";
    /** Entries under the reserved prefix that stay entries of their own in the packed layout. */
    static final Set<String> COMPANIONS = Set.of("sse-proxy-etag-ref", "sse-proxy-replica-of");

    private StoredEnvelope() {
    }

    /**
     * {@code meta} (names with or without {@code x-amz-meta-}, any case) with a packed envelope entry
     * replaced by one entry per field, named in the packed entry's style ({@code
     * x-amz-meta-sse-proxy-size} or {@code sse-proxy-size}, lower-case).
     */
    static Map<String, String> unpacked(Map<String, String> meta) {
        Map<String, String> out = new LinkedHashMap<>();
        meta.forEach((name, value) -> {
            String n = name.toLowerCase(Locale.ROOT);
            if (n.endsWith(PACKED)) {
                String prefix = n.substring(0, n.length() - "envelope".length());
                for (String token : value.split(" ")) {
                    int eq = token.indexOf('=');
                    out.put(prefix + token.substring(0, eq), token.substring(eq + 1));
                }
            } else {
                out.put(name, value);
            }
        });
        return out;
    }

    /** The inverse of {@link #unpacked}: the envelope's fields into one entry, companions and other metadata kept. */
    static Map<String, String> packed(Map<String, String> fields) {
        Map<String, String> out = new LinkedHashMap<>();
        StringBuilder packed = new StringBuilder();
        String[] prefix = new String[1];
        fields.forEach((name, value) -> {
            String n = name.toLowerCase(Locale.ROOT);
            int at = n.indexOf("sse-proxy-");
            if (at < 0 || COMPANIONS.contains(n.substring(at))) {
                out.put(name, value);
                return;
            }
            prefix[0] = n.substring(0, at + "sse-proxy-".length());
            packed.append(packed.length() == 0 ? "" : " ").append(n.substring(prefix[0].length())).append('=').append(value);
        });
        if (prefix[0] != null) {
            out.put(prefix[0] + "envelope", packed.toString());
        }
        return out;
    }

    /** One envelope field ({@code "kms-ver"}) of a MinIO stat answer, or null. */
    static String field(io.minio.StatObjectResponse stat, String field) {
        Map<String, String> meta = new LinkedHashMap<>();
        for (String name : stat.headers().names()) {
            meta.put(name.toLowerCase(Locale.ROOT), stat.headers().get(name));
        }
        return unpacked(meta).get("x-amz-meta-sse-proxy-" + field);
    }
}
