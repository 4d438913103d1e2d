package dev.sseproxy.sse;

import dev.sseproxy.crypto.SseMode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Decides the encryption of a new object from the request's SSE headers and the bucket default
 * (spec §3.1), validating the headers as S3 does (§3.8 for SSE-C, §3.9 for the rest). Headers are
 * looked up by lower-case name.
 */
public final class EncryptionPolicy {
    public static final String S = "x-amz-server-side-encryption";
    public static final String K = "x-amz-server-side-encryption-aws-kms-key-id";
    public static final String X = "x-amz-server-side-encryption-context";
    public static final String B = "x-amz-server-side-encryption-bucket-key-enabled";
    public static final String C_ALG = "x-amz-server-side-encryption-customer-algorithm";
    public static final String C_KEY = "x-amz-server-side-encryption-customer-key";
    public static final String C_MD5 = "x-amz-server-side-encryption-customer-key-md5";
    public static final String COPY_PREFIX = "x-amz-copy-source-";
    /** Headers that only writes may carry (spec §3.7, §3.9). */
    public static final java.util.List<String> WRITE_ONLY = java.util.List.of(S, K, X, B);

    static final String KMS_REQUIRES_S =
            "Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms";
    static final String BAD_CONTEXT = "The header 'x-amz-server-side-encryption-context' shall be Base64-encoded "
            + "UTF-8 string holding JSON which represents a string-string map";
    /** S3's answer (MinIO's wording, spec §3.7) when the key and algorithm come without the key's MD5. */
    public static final String MISSING_MD5 = "Requests specifying Server Side Encryption with Customer provided "
            + "keys must provide the client calculated MD5 of the secret key.";
    /** Any SSE-C header, of the object or of a copy source, asks for TLS (spec §3.8). */
    public static final java.util.List<String> CUSTOMER_KEY_HEADERS = java.util.List.of(C_ALG, C_KEY, C_MD5,
            COPY_PREFIX + C_ALG.substring("x-amz-".length()), COPY_PREFIX + C_KEY.substring("x-amz-".length()),
            COPY_PREFIX + C_MD5.substring("x-amz-".length()));
    /** S3's answer to SSE-C headers on a plain-HTTP request (spec §3.8). */
    public static final String INSECURE = "Requests specifying Server Side Encryption with Customer provided keys "
            + "must be made over a secure connection.";
    private static final ObjectMapper JSON = new ObjectMapper();

    private EncryptionPolicy() {
    }

    /**
     * The encryption of a new object written with these headers into a bucket with this default.
     *
     * @param secure whether the client-facing connection is TLS (SSE-C requires it)
     */
    public static EncryptionDecision decide(Function<String, String> headers, BucketEncryptionDefault bucket,
            boolean secure) {
        Optional<CustomerKey> customer = customerKey(headers, "", true);
        String s = headers.apply(S);
        if (customer.isPresent()) {
            if (!secure) {
                customer.get().close();
                throw new SseException(SseException.Kind.INVALID_REQUEST, INSECURE, null, null);
            }
            if (bucket.blocksSseC()) {
                customer.get().close();
                throw new SseException(SseException.Kind.ACCESS_DENIED, "Access Denied: this bucket has blocked "
                        + "upload requests that specify Server Side Encryption with Customer provided keys (SSE-C). "
                        + "Please specify a different server-side encryption type", null, null);
            }
            return new EncryptionDecision(SseMode.SSE_C, Optional.empty(), false, Map.of(), customer, false);
        }
        String k = headers.apply(K);
        String x = headers.apply(X);
        Optional<Boolean> b = Optional.ofNullable(headers.apply(B)).map(v -> "true".equalsIgnoreCase(v.trim()));
        if (s == null) {
            if (k != null || x != null) {
                throw SseException.invalidArgument(KMS_REQUIRES_S, K, k != null ? k : x);
            }
            return fromDefault(bucket);
        }
        SseMode mode = SseMode.fromHeader(s.trim()).filter(m -> m != SseMode.SSE_C).orElseThrow(() ->
                SseException.invalidArgument("The encryption method specified is not supported", S, s));
        if (!mode.isKms()) {
            if (k != null || x != null) {
                throw SseException.invalidArgument(KMS_REQUIRES_S, K, k != null ? k : x);
            }
            return new EncryptionDecision(mode, Optional.empty(), false, Map.of(), Optional.empty(), false);
        }
        Map<String, String> context = x == null ? Map.of() : context(x);
        boolean bucketKey = mode == SseMode.SSE_KMS && b.orElse(bucket.bucketKeyEnabled());
        return new EncryptionDecision(mode, Optional.ofNullable(k).map(String::trim).filter(v -> !v.isEmpty()),
                bucketKey, context, Optional.empty(), false);
    }

    private static EncryptionDecision fromDefault(BucketEncryptionDefault bucket) {
        SseMode mode = bucket.algorithm();
        boolean bucketKey = mode == SseMode.SSE_KMS && bucket.bucketKeyEnabled();
        Optional<String> key = mode.isKms() ? Optional.ofNullable(bucket.kmsMasterKeyId()) : Optional.empty();
        return new EncryptionDecision(mode, key, bucketKey, Map.of(), Optional.empty(), true);
    }

    /**
     * The SSE-C key of a request (prefix "" for the object, {@link #COPY_PREFIX} for a copy source),
     * validated in S3's order (the MD5 header is required, as on every S3 request naming a customer
     * key); empty when no SSE-C header is present.
     *
     * @param write writes additionally reject {@code x-amz-server-side-encryption} next to SSE-C
     */
    public static Optional<CustomerKey> customerKey(Function<String, String> headers, String prefix, boolean write) {
        String alg = headers.apply(prefixed(prefix, C_ALG));
        String key = headers.apply(prefixed(prefix, C_KEY));
        String md5 = headers.apply(prefixed(prefix, C_MD5));
        if (alg == null && key == null && md5 == null) {
            return Optional.empty();
        }
        String s = headers.apply(S);
        if (write && prefix.isEmpty() && s != null) {
            throw SseException.invalidArgument("Server Side Encryption with Customer provided key is incompatible "
                    + "with the encryption method specified", S, s);
        }
        if (alg == null) {
            throw SseException.invalidArgument("Requests specifying Server Side Encryption with Customer provided "
                    + "keys must provide a valid encryption algorithm.", S, null);
        }
        if (key == null) {
            throw SseException.invalidArgument("Requests specifying Server Side Encryption with Customer provided "
                    + "keys must provide an appropriate secret key.", S, null);
        }
        if (!"AES256".equals(alg.trim())) {
            throw new SseException(SseException.Kind.INVALID_ENCRYPTION_ALGORITHM,
                    "The Encryption request you specified is not valid. Supported value: AES256.", S, alg);
        }
        if (md5 == null) {
            throw SseException.invalidArgument(MISSING_MD5, S, null);
        }
        byte[] raw = CustomerKey.decode(key);
        String actualMd5 = raw == null ? null : md5(raw);
        if (actualMd5 == null || !actualMd5.equals(md5.trim())) {
            throw SseException.invalidArgument("The calculated MD5 hash of the key did not match the hash that was "
                    + "provided.", S, null);
        }
        if (raw == null || raw.length != 32) {
            throw SseException.invalidArgument("The secret key was invalid for the specified algorithm.", S, null);
        }
        return Optional.of(new CustomerKey(raw, actualMd5));
    }

    /** {@code x-amz-copy-source-} + {@code server-side-encryption-…}: the copy-source names drop the second {@code x-amz-}. */
    private static String prefixed(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + name.substring("x-amz-".length());
    }

    /** The user encryption context: base64 of a UTF-8 JSON object of string values. */
    static Map<String, String> context(String header) {
        try {
            return contextJson(new String(Base64.getDecoder().decode(header.trim()), StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw SseException.invalidArgument(BAD_CONTEXT, X, header);
        }
    }

    /** A JSON object of string values as a map; IllegalArgumentException otherwise. */
    static Map<String, String> contextJson(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("not an object");
            }
            Map<String, String> ctx = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isTextual()) {
                    throw new IllegalArgumentException("not a string value");
                }
                ctx.put(e.getKey(), e.getValue().asText());
            }
            return ctx;
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not JSON", e);
        }
    }

    static String md5(byte[] raw) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(raw));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
