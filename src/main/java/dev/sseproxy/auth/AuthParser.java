package dev.sseproxy.auth;

import dev.sseproxy.auth.AuthException.Kind;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Parses SigV4 authentication out of a request: Authorization header or presigned query. */
final class AuthParser {

    static final String HEADER_PREFIX = "The authorization header is malformed; ";
    static final String QUERY_PREFIX = "Error parsing the X-Amz-Credential parameter; ";
    static final long MAX_EXPIRES_SECONDS = 604800;

    private static final List<String> QUERY_AUTH_PARAMS = List.of("X-Amz-Algorithm", "X-Amz-Credential",
            "X-Amz-Signature", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Expires");

    private AuthParser() {
    }

    /**
     * @param bodySha256Hex the SHA-256 of a body already read, used as the payload hash when the
     *                      request has no {@code x-amz-content-sha256} header (JSON services)
     */
    static Optional<AuthInfo> parse(SignedRequest r, Optional<String> bodySha256Hex) {
        Optional<String> authorization = r.header("authorization");
        Map<String, String> query = firstValues(AwsUriEncoding.parseQuery(r.rawQuery()));
        boolean queryAuth = query.containsKey("X-Amz-Signature") || query.containsKey("X-Amz-Credential")
                || query.containsKey("X-Amz-Algorithm");
        if (authorization.isPresent() && queryAuth) {
            throw new AuthException(Kind.INVALID_AUTHORIZATION_ARGUMENT, "Only one auth mechanism allowed; only the "
                    + "X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization "
                    + "header should be specified", Map.of("ArgumentName", "Authorization"));
        }
        if (authorization.isPresent()) {
            return Optional.of(parseHeader(r, authorization.get(), bodySha256Hex));
        }
        if (queryAuth) {
            return Optional.of(parsePresigned(r, query));
        }
        if (query.containsKey("AWSAccessKeyId") && query.containsKey("Signature")) {
            throw new AuthException(Kind.UNSUPPORTED_ALGORITHM);
        }
        return Optional.empty();
    }

    private static AuthInfo parseHeader(SignedRequest r, String value, Optional<String> bodySha256Hex) {
        Map<String, String> parts = authorizationParts(value.trim());
        String credential = parts.get("Credential");
        String signedHeaders = parts.get("SignedHeaders");
        String signature = parts.get("Signature");
        if (credential == null || signedHeaders == null || signature == null) {
            throw new AuthException(Kind.AUTHORIZATION_HEADER_MALFORMED);
        }
        CredentialScope scope = CredentialScope.parse(credential, Kind.AUTHORIZATION_HEADER_MALFORMED, HEADER_PREFIX);
        List<String> names = signedHeaderList(signedHeaders, Kind.AUTHORIZATION_HEADER_MALFORMED);
        Instant time = headerRequestTime(r);
        String payload = r.header("x-amz-content-sha256").map(String::trim).or(() -> bodySha256Hex)
                .orElseThrow(() -> new AuthException(Kind.MISSING_CONTENT_SHA256));
        return info(scope, time, names, signature, false, Optional.empty(), payload);
    }

    private static Map<String, String> authorizationParts(String value) {
        int space = value.indexOf(' ');
        String scheme = space < 0 ? value : value.substring(0, space);
        if (!SigV4.ALGORITHM.equals(scheme)) {
            throw unsupportedScheme(scheme);
        }
        Map<String, String> parts = new HashMap<>();
        for (String piece : value.substring(space + 1).split(",")) {
            String p = piece.trim();
            int eq = p.indexOf('=');
            if (p.isEmpty()) {
                continue;
            }
            String key = eq < 0 ? p : p.substring(0, eq).trim();
            if (eq < 0 || parts.put(key, p.substring(eq + 1).trim()) != null
                    || !List.of("Credential", "SignedHeaders", "Signature").contains(key)) {
                throw new AuthException(Kind.AUTHORIZATION_HEADER_MALFORMED);
            }
        }
        return parts;
    }

    private static AuthException unsupportedScheme(String scheme) {
        if ("AWS".equals(scheme) || scheme.startsWith("AWS4-ECDSA")) {
            return new AuthException(Kind.UNSUPPORTED_ALGORITHM);
        }
        return new AuthException(Kind.INVALID_AUTHORIZATION_ARGUMENT, Kind.INVALID_AUTHORIZATION_ARGUMENT
                .defaultMessage(), Map.of("ArgumentName", "Authorization"));
    }

    private static AuthInfo parsePresigned(SignedRequest r, Map<String, String> q) {
        for (String name : QUERY_AUTH_PARAMS) {
            if (!q.containsKey(name)) {
                throw new AuthException(Kind.AUTHORIZATION_QUERY_PARAMETERS_ERROR);
            }
        }
        String algorithm = q.get("X-Amz-Algorithm");
        if (!SigV4.ALGORITHM.equals(algorithm)) {
            if (algorithm.startsWith("AWS4-ECDSA")) {
                throw new AuthException(Kind.UNSUPPORTED_ALGORITHM);
            }
            throw queryError("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
        }
        CredentialScope scope = CredentialScope.parse(q.get("X-Amz-Credential"),
                Kind.AUTHORIZATION_QUERY_PARAMETERS_ERROR, QUERY_PREFIX);
        Instant time = parseAmzDate(q.get("X-Amz-Date")).orElseThrow(() -> queryError(
                "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\""));
        Duration expires = Duration.ofSeconds(parseExpires(q.get("X-Amz-Expires")));
        List<String> names = signedHeaderList(q.get("X-Amz-SignedHeaders"), Kind.AUTHORIZATION_QUERY_PARAMETERS_ERROR);
        return info(scope, time, names, q.get("X-Amz-Signature"), true, Optional.of(expires),
                presignedPayloadHash(r, q));
    }

    private static long parseExpires(String value) {
        long seconds;
        try {
            seconds = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw queryError("X-Amz-Expires should be a number");
        }
        if (seconds < 0) {
            throw queryError("X-Amz-Expires must be non-negative");
        }
        if (seconds > MAX_EXPIRES_SECONDS) {
            throw queryError("X-Amz-Expires must be less than a week (in seconds) that is 604800");
        }
        return seconds;
    }

    private static AuthInfo info(CredentialScope scope, Instant time, List<String> names, String signature,
                                 boolean presigned, Optional<Duration> expires, String payloadHash) {
        PayloadMode mode = PayloadMode.parse(payloadHash);
        Optional<String> sha = mode == PayloadMode.SIGNED
                ? Optional.of(payloadHash.toLowerCase(Locale.ROOT)) : Optional.empty();
        return new AuthInfo(scope.accessKeyId(), scope.date(), scope.region(), scope.service(), time, names,
                signature.toLowerCase(Locale.ROOT), presigned, expires, mode, sha);
    }

    /**
     * The value the canonical request's payload line carries for a request: the
     * {@code x-amz-content-sha256} header, or without it the body hash given to {@link #parse}.
     */
    static String payloadHashLine(SignedRequest r, AuthInfo info) {
        if (info.presigned()) {
            return presignedPayloadHash(r, firstValues(AwsUriEncoding.parseQuery(r.rawQuery())));
        }
        return r.header("x-amz-content-sha256").map(String::trim).or(info::payloadSha256Hex).orElse("");
    }

    private static String presignedPayloadHash(SignedRequest r, Map<String, String> q) {
        String fromQuery = q.get("X-Amz-Content-Sha256");
        if (fromQuery != null) {
            return fromQuery;
        }
        return r.header("x-amz-content-sha256").map(String::trim).orElse("UNSIGNED-PAYLOAD");
    }

    private static List<String> signedHeaderList(String value, Kind kind) {
        List<String> names = new ArrayList<>();
        for (String name : value.split(";", -1)) {
            if (name.isBlank()) {
                throw new AuthException(kind);
            }
            names.add(name.trim().toLowerCase(Locale.ROOT));
        }
        return names;
    }

    private static Instant headerRequestTime(SignedRequest r) {
        Optional<String> amzDate = r.header("x-amz-date");
        if (amzDate.isPresent()) {
            return parseAmzDate(amzDate.get().trim()).orElseThrow(() -> new AuthException(Kind.MISSING_DATE));
        }
        return r.header("date").flatMap(AuthParser::parseHttpDate)
                .orElseThrow(() -> new AuthException(Kind.MISSING_DATE));
    }

    /** Strictly parses {@code yyyyMMdd'T'HHmmss'Z'}. */
    static Optional<Instant> parseAmzDate(String value) {
        if (value == null || value.length() != 16) {
            return Optional.empty();
        }
        Instant fast = fastAmzDate(value);
        if (fast != null) {
            return Optional.of(fast);
        }
        try {
            return Optional.of(Instant.from(SigV4.AMZ_DATE.parse(value)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * {@code yyyyMMdd'T'HHmmss'Z'} without the formatter (a request's hot path); null when the
     * value is not a plain valid date-time, which the formatter then decides as before.
     */
    private static Instant fastAmzDate(String v) {
        if (v.charAt(8) != 'T' || v.charAt(15) != 'Z') {
            return null;
        }
        for (int i = 0; i < 15; i++) {
            char c = v.charAt(i);
            if (i != 8 && (c < '0' || c > '9')) {
                return null;
            }
        }
        int year = digits(v, 0, 4);
        int month = digits(v, 4, 2);
        int day = digits(v, 6, 2);
        int hour = digits(v, 9, 2);
        int minute = digits(v, 11, 2);
        int second = digits(v, 13, 2);
        if (year < 1 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        try {
            return java.time.LocalDateTime.of(year, month, day, hour, minute, second).toInstant(java.time.ZoneOffset.UTC);
        } catch (java.time.DateTimeException impossible) { // 30 February: the formatter decides, as before
            return null;
        }
    }

    private static int digits(String v, int from, int count) {
        int n = 0;
        for (int i = from; i < from + count; i++) {
            n = n * 10 + (v.charAt(i) - '0');
        }
        return n;
    }

    private static Optional<Instant> parseHttpDate(String value) {
        try {
            return Optional.of(ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static AuthException queryError(String message) {
        return new AuthException(Kind.AUTHORIZATION_QUERY_PARAMETERS_ERROR, message);
    }

    private static Map<String, String> firstValues(List<AwsUriEncoding.QueryParam> params) {
        Map<String, String> map = new HashMap<>();
        params.forEach(p -> map.putIfAbsent(p.name(), p.value()));
        return map;
    }
}
