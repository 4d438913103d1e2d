package dev.sseproxy.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 primitives shared by the verifier, the outgoing signer, the chunk
 * verifier and the POST-policy check: hashing, HMAC, key derivation, canonical request and
 * string-to-sign construction.
 */
public final class SigV4 {

    /** The only supported algorithm name. */
    public static final String ALGORITHM = "AWS4-HMAC-SHA256";
    /** Hex SHA-256 of the empty string. */
    public static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    /** The {@code x-amz-date} / {@code X-Amz-Date} format, {@code yyyyMMdd'T'HHmmss'Z'}. */
    public static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    /** The credential-scope date format, {@code yyyyMMdd}. */
    public static final DateTimeFormatter SCOPE_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd", Locale.ROOT).withZone(ZoneOffset.UTC);

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private SigV4() {
    }

    /** Lower-case hex encoding. */
    public static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[bytes[i] & 0xf];
        }
        return new String(out);
    }

    /** One HMAC-SHA256 per thread: {@link Mac#getInstance} looks the provider up on every call. */
    private static final ThreadLocal<Mac> HMAC_SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    });
    /** One SHA-256 per thread, for {@link #sha256}. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(SigV4::newSha256);

    /**
     * Derived signing keys by (secret, date, region, service): the four-HMAC chain is the same for
     * every request of a day, for the clients' signatures and for the proxy's own to the backend.
     * Bounded: cleared when it reaches {@link #SIGNING_KEYS_MAX} entries (a day has few scopes per
     * credential; only a flood of distinct secrets or dates fills it). Process memory only.
     */
    private static final Map<ScopeKey, byte[]> SIGNING_KEYS = new ConcurrentHashMap<>();
    static final int SIGNING_KEYS_MAX = 1024;

    private record ScopeKey(String secretKey, String yyyymmdd, String region, String service) {
    }

    /** A fresh SHA-256 digest. */
    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** SHA-256 of bytes. */
    public static byte[] sha256(byte[] data) {
        MessageDigest digest = SHA256.get();
        digest.reset();
        return digest.digest(data);
    }

    /** Hex SHA-256 of the UTF-8 bytes of a string. */
    public static String sha256Hex(String text) {
        return hex(sha256(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** HMAC-SHA256 of the UTF-8 bytes of {@code data}. */
    public static byte[] hmacSha256(byte[] key, String data) {
        return hmac("HmacSHA256", key, data.getBytes(StandardCharsets.UTF_8));
    }

    /** HMAC with the named JCA algorithm. */
    static byte[] hmac(String algorithm, byte[] key, byte[] data) {
        try {
            Mac mac = "HmacSHA256".equals(algorithm) ? HMAC_SHA256.get() : Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " unavailable", e);
        }
    }

    /**
     * The SigV4 signing key: HMAC chain over date, region, service and {@code aws4_request}
     * (derived once per scope and kept: see {@link #SIGNING_KEYS}). A copy: callers may not share it.
     */
    public static byte[] signingKey(String secretKey, String yyyymmdd, String region, String service) {
        ScopeKey scope = new ScopeKey(secretKey, yyyymmdd, region, service);
        byte[] key = SIGNING_KEYS.get(scope);
        if (key == null) {
            key = deriveSigningKey(secretKey, yyyymmdd, region, service);
            if (SIGNING_KEYS.size() >= SIGNING_KEYS_MAX) {
                SIGNING_KEYS.clear();
            }
            SIGNING_KEYS.put(scope, key);
        }
        return key.clone();
    }

    private static byte[] deriveSigningKey(String secretKey, String yyyymmdd, String region, String service) {
        byte[] kDate = hmacSha256(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), yyyymmdd);
        byte[] kRegion = hmacSha256(kDate, region);
        byte[] kService = hmacSha256(kRegion, service);
        return hmacSha256(kService, "aws4_request");
    }

    /** The credential scope {@code yyyymmdd/region/service/aws4_request}. */
    public static String scope(String yyyymmdd, String region, String service) {
        return yyyymmdd + "/" + region + "/" + service + "/aws4_request";
    }

    /** Hex HMAC-SHA256 signature of a string-to-sign. */
    public static String sign(byte[] signingKey, String stringToSign) {
        return hex(hmacSha256(signingKey, stringToSign));
    }

    /** Constant-time comparison of two hex signatures (case-insensitive). */
    public static boolean signaturesEqual(String expected, String provided) {
        byte[] a = expected.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        byte[] b = provided.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(a, b);
    }

    /** The string to sign for a request. */
    public static String stringToSign(String amzDate, String scope, String canonicalRequest) {
        return ALGORITHM + "\n" + amzDate + "\n" + scope + "\n" + sha256Hex(canonicalRequest);
    }

    /** Assembles a canonical request from its already-canonical parts. */
    public static String canonicalRequest(String method, String canonicalUri, String canonicalQuery,
                                          String canonicalHeaders, String signedHeaders, String payloadHash) {
        return method + "\n" + canonicalUri + "\n" + canonicalQuery + "\n" + canonicalHeaders + "\n"
                + signedHeaders + "\n" + payloadHash;
    }

    /**
     * Canonical request of a wire request.
     *
     * @param signedHeaders   header names in the order the client listed them
     * @param excludeQueryParam query parameter to omit ({@code X-Amz-Signature} when presigned), or null
     */
    public static String canonicalRequest(SignedRequest request, List<String> signedHeaders, String payloadHash,
                                          String excludeQueryParam) {
        return canonicalRequest(request.method(), AwsUriEncoding.canonicalUri(request.rawPath()),
                AwsUriEncoding.canonicalQuery(request.rawQuery(), excludeQueryParam),
                canonicalHeaders(request.headers(), signedHeaders), String.join(";", signedHeaders), payloadHash);
    }

    /** Canonical header block: one {@code name:value\n} line per signed header. */
    public static String canonicalHeaders(Map<String, List<String>> headers, List<String> signedHeaders) {
        StringBuilder out = new StringBuilder();
        for (String name : signedHeaders) {
            String lower = name.toLowerCase(Locale.ROOT);
            List<String> values = headers.getOrDefault(lower, List.of());
            out.append(lower).append(':');
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(canonicalHeaderValue(values.get(i)));
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** Trims a header value and collapses internal runs of spaces and tabs to one space. */
    public static String canonicalHeaderValue(String value) {
        StringBuilder out = new StringBuilder(value.length());
        boolean pendingSpace = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ' ' || c == '\t') {
                pendingSpace = out.length() > 0;
            } else {
                if (pendingSpace) {
                    out.append(' ');
                    pendingSpace = false;
                }
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Value of an ASCII hex digit, or -1 (non-ASCII digits are rejected). */
    static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** The last second formatted by {@link #amzDate}: every backend request of a second signs with it. */
    private static volatile FormattedSecond lastSecond = new FormattedSecond(Long.MIN_VALUE, "");

    private record FormattedSecond(long epochSecond, String text) {
    }

    /** Formats an instant as {@code yyyyMMdd'T'HHmmss'Z'}. */
    public static String amzDate(Instant instant) {
        FormattedSecond last = lastSecond;
        if (last.epochSecond() == instant.getEpochSecond()) {
            return last.text();
        }
        String text = AMZ_DATE.format(instant);
        lastSecond = new FormattedSecond(instant.getEpochSecond(), text);
        return text;
    }
}
