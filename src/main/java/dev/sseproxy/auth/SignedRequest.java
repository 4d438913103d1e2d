package dev.sseproxy.auth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An incoming request as seen on the wire, the input to SigV4 verification.
 *
 * @param method   HTTP method, e.g. {@code GET}
 * @param rawPath  request path exactly as received (still percent-encoded), e.g. {@code /b/a%20b}
 * @param rawQuery query string as received, without the leading {@code ?}; {@code null} when absent
 * @param headers  header name (lower-case) to its values in arrival order; HTTP/2 {@code :authority}
 *                 must be supplied as {@code host}
 */
public record SignedRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers) {

    /** Normalises header names to lower case and makes the header map immutable (unless it is a {@link RequestHeaders} map). */
    public SignedRequest {
        if (method == null || rawPath == null || headers == null) {
            throw new IllegalArgumentException("method, rawPath and headers are required");
        }
        if (!(headers instanceof RequestHeaders.Headers)) { // RequestHeaders' map is lower case and immutable already
            Map<String, List<String>> lower = new LinkedHashMap<>();
            headers.forEach((name, values) -> lower
                    .computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .addAll(values));
            lower.replaceAll((k, v) -> List.copyOf(v));
            headers = Collections.unmodifiableMap(lower);
        }
    }

    /** Convenience constructor for single-valued headers. */
    public static SignedRequest of(String method, String rawPath, String rawQuery, Map<String, String> headers) {
        Map<String, List<String>> multi = new LinkedHashMap<>();
        headers.forEach((k, v) -> multi.put(k, List.of(v)));
        return new SignedRequest(method, rawPath, rawQuery, multi);
    }

    /** The first value of a header (name matched case-insensitively). */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** All values of a header, empty when absent. */
    public List<String> headerValues(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }
}
