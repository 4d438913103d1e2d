package dev.sseproxy.auth;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Signs the proxy's own outgoing requests (to the storage backend) with SigV4 header
 * authentication, service {@code s3}.
 *
 * <p>Every header passed in is signed except hop-by-hop and client-identification headers that
 * intermediaries may rewrite ({@link #UNSIGNED_HEADERS}); {@code host} is mandatory.
 */
public final class SigV4Signer {

    /** Headers never signed: they may legitimately change between signer and server. */
    public static final Set<String> UNSIGNED_HEADERS = Set.of("authorization", "connection", "keep-alive",
            "proxy-authorization", "proxy-connection", "te", "trailer", "upgrade", "expect", "user-agent",
            "x-amzn-trace-id");

    private SigV4Signer() {
    }

    /**
     * Computes the SigV4 headers for a request.
     *
     * @param rawPath     path as it will be sent on the wire (percent-encoded)
     * @param rawQuery    query as it will be sent, without {@code ?}, or null
     * @param headers     headers that will be sent, must contain {@code host} (any case)
     * @param payloadHash hex SHA-256 of the body, {@code UNSIGNED-PAYLOAD}, or a streaming marker
     * @return the headers to add: {@code Authorization}, {@code x-amz-date}, {@code x-amz-content-sha256}
     */
    public static Map<String, String> sign(String method, String rawPath, String rawQuery, Map<String, String> headers,
                                           String payloadHash, String accessKey, String secretKey, String region,
                                           Instant now) {
        return sign(method, rawPath, rawQuery, headers, payloadHash, accessKey, secretKey, region, "s3", now);
    }

    /** As {@link #sign(String, String, String, Map, String, String, String, String, Instant)}, for another service (tests of kms, sts, …). */
    public static Map<String, String> sign(String method, String rawPath, String rawQuery, Map<String, String> headers,
                                           String payloadHash, String accessKey, String secretKey, String region,
                                           String service, Instant now) {
        String amzDate = SigV4.amzDate(now);
        String day = amzDate.substring(0, 8);
        Map<String, List<String>> toSign = headersToSign(headers, amzDate, payloadHash);
        if (!toSign.containsKey("host")) {
            throw new IllegalArgumentException("the host header is required for SigV4 signing");
        }
        List<String> signedNames = new ArrayList<>(toSign.keySet());
        String canonicalRequest = SigV4.canonicalRequest(method, AwsUriEncoding.canonicalUri(rawPath),
                AwsUriEncoding.canonicalQuery(rawQuery, null), SigV4.canonicalHeaders(toSign, signedNames),
                String.join(";", signedNames), payloadHash);
        String scope = SigV4.scope(day, region, service);
        String signature = SigV4.sign(SigV4.signingKey(secretKey, day, region, service),
                SigV4.stringToSign(amzDate, scope, canonicalRequest));
        Map<String, String> out = new LinkedHashMap<>();
        out.put("Authorization", SigV4.ALGORITHM + " Credential=" + accessKey + "/" + scope
                + ", SignedHeaders=" + String.join(";", signedNames) + ", Signature=" + signature);
        out.put("x-amz-date", amzDate);
        out.put("x-amz-content-sha256", payloadHash);
        return out;
    }

    private static Map<String, List<String>> headersToSign(Map<String, String> headers, String amzDate,
                                                           String payloadHash) {
        Map<String, List<String>> sorted = new TreeMap<>();
        headers.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!UNSIGNED_HEADERS.contains(lower)) {
                sorted.computeIfAbsent(lower, k -> new ArrayList<>()).add(value);
            }
        });
        sorted.put("x-amz-date", List.of(amzDate));
        sorted.put("x-amz-content-sha256", List.of(payloadHash));
        return sorted;
    }
}
