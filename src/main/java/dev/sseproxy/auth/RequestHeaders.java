package dev.sseproxy.auth;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The headers of one request, read once: names lower-cased into one immutable map (values in
 * arrival order, as the HTTP layer decoded them, one char per byte), and the values a write
 * parses (the checksum, Content-MD5) parsed on first ask and kept. The SigV4 verifier
 * ({@link SignedRequest}), the body verification, the encryption decision and the operations
 * all read this one view instead of lower-casing the request's headers each.
 *
 * <p>As a {@code Function<String, String>} it answers a header's first value, as the
 * {@code (name) -> value} views of {@code dev.sseproxy.sse.EncryptionPolicy} take it.
 */
public final class RequestHeaders implements Function<String, String> {
    private final Headers map;
    private Optional<RequestChecksums.Expected> checksum;
    private Optional<byte[]> contentMd5;

    private RequestHeaders(Headers map) {
        this.map = map;
    }

    /** The headers of {@code entries} (any case, e.g. the HTTP layer's header map). */
    public static RequestHeaders of(Iterable<Map.Entry<String, String>> entries) {
        HashMap<String, List<String>> m = new HashMap<>();
        for (Map.Entry<String, String> e : entries) {
            add(m, e.getKey().toLowerCase(Locale.ROOT), e.getValue());
        }
        return new RequestHeaders(new Headers(m));
    }

    private static void add(HashMap<String, List<String>> m, String name, String value) {
        List<String> old = m.get(name);
        if (old == null) {
            m.put(name, List.of(value));
        } else {
            List<String> more = new ArrayList<>(old.size() + 1);
            more.addAll(old);
            more.add(value);
            m.put(name, List.copyOf(more));
        }
    }

    /** The first value of header {@code name}; null when absent. */
    public String get(String name) {
        List<String> v = map.get(name);
        if (v == null && !isLowerCase(name)) {
            v = map.get(name.toLowerCase(Locale.ROOT));
        }
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    @Override
    public String apply(String name) {
        return get(name);
    }

    /** Every header: lower-case name to its values (immutable). */
    public Map<String, List<String>> asMap() {
        return map;
    }

    /**
     * The same headers with each value read as the UTF-8 text its bytes spell ({@link HeaderBytes#text}),
     * as SigV4 hashes them: this very map when every value is ASCII (the common case), else a copy.
     */
    public Map<String, List<String>> asUtf8Text() {
        HashMap<String, List<String>> converted = null;
        for (Map.Entry<String, List<String>> e : map.entrySet()) {
            List<String> values = e.getValue();
            for (int i = 0; i < values.size(); i++) {
                String v = values.get(i);
                String t = HeaderBytes.text(v);
                if (t != v) {
                    if (converted == null) {
                        converted = new HashMap<>(map.inner);
                    }
                    List<String> copy = new ArrayList<>(converted.get(e.getKey()));
                    copy.set(i, t);
                    converted.put(e.getKey(), List.copyOf(copy));
                }
            }
        }
        return converted == null ? map : new Headers(converted);
    }

    /**
     * The checksum the request carries, if any, parsed on first ask.
     *
     * @throws AuthException as {@link RequestChecksums#fromHeaders}
     */
    public Optional<RequestChecksums.Expected> checksum() {
        if (checksum == null) {
            checksum = RequestChecksums.fromHeaders(map);
        }
        return checksum;
    }

    /**
     * The decoded {@code Content-MD5}, if present, parsed on first ask.
     *
     * @throws AuthException INVALID_DIGEST as {@link RequestChecksums#contentMd5}
     */
    public Optional<byte[]> contentMd5() {
        if (contentMd5 == null) {
            contentMd5 = RequestChecksums.contentMd5(map);
        }
        return contentMd5;
    }

    /** {@link #contentMd5()} in hex. */
    public Optional<String> contentMd5Hex() {
        return contentMd5().map(HexFormat.of()::formatHex);
    }

    private static boolean isLowerCase(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return false;
            }
        }
        return true;
    }

    /**
     * An immutable map whose names are lower case already ({@link SignedRequest} takes it as it is).
     * Lookups go straight to the hash map.
     */
    static final class Headers extends AbstractMap<String, List<String>> {
        private final HashMap<String, List<String>> inner;
        private final Set<Map.Entry<String, List<String>>> entries;

        Headers(HashMap<String, List<String>> inner) {
            this.inner = inner;
            this.entries = java.util.Collections.unmodifiableMap(inner).entrySet();
        }

        @Override
        public Set<Map.Entry<String, List<String>>> entrySet() {
            return entries;
        }

        @Override
        public List<String> get(Object key) {
            return inner.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return inner.containsKey(key);
        }

        @Override
        public List<String> getOrDefault(Object key, List<String> defaultValue) {
            return inner.getOrDefault(key, defaultValue);
        }

        @Override
        public int size() {
            return inner.size();
        }
    }
}
