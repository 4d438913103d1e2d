package dev.sseproxy.auth;

import dev.sseproxy.auth.AuthException.Kind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Verifies incoming SigV4 requests (header authentication and presigned URLs) for one service
 * ({@code s3} unless another is named) in one configured region.
 *
 * <p>Typical use: {@code parse} the request; empty means anonymous. Look up the secret for
 * {@link AuthInfo#accessKeyId()} (unknown key: throw {@link AuthException#invalidAccessKeyId}),
 * then {@code verify}. For {@link PayloadMode#SIGNED} bodies call
 * {@link AuthInfo#checkPayloadSha256} once the body has been read; for streaming modes feed the
 * body through an {@link AwsChunkedDecoder} built with a {@link ChunkVerifier} of the result.
 *
 * <p>JSON services such as {@code kms} sign the body without sending {@code x-amz-content-sha256}:
 * parse those with {@link #parse(SignedRequest, String)}, giving the SHA-256 of the body read.
 */
public final class SigV4Verifier {

    /** Maximum difference between request time and server time for header authentication. */
    public static final Duration MAX_SKEW = Duration.ofMinutes(15);

    private final Clock clock;
    private final String region;
    private final String service;

    /** A verifier for {@code s3} requests scoped to {@code region}, judging time by {@code clock}. */
    public SigV4Verifier(Clock clock, String region) {
        this(clock, region, "s3");
    }

    /** A verifier for requests to {@code service} (e.g. {@code kms}) scoped to {@code region}. */
    public SigV4Verifier(Clock clock, String region, String service) {
        this.clock = clock;
        this.region = region;
        this.service = service;
    }

    /**
     * Parses the SigV4 authentication of a request.
     *
     * @return empty for an anonymous request
     * @throws AuthException for a malformed or unsupported authentication
     */
    public static Optional<AuthInfo> parse(SignedRequest r) {
        return AuthParser.parse(r, Optional.empty());
    }

    /**
     * Parses the SigV4 authentication of a request whose whole body has been read. Without an
     * {@code x-amz-content-sha256} header the payload hash is {@code bodySha256Hex}, as JSON
     * services (kms) sign it; with the header, call {@link AuthInfo#checkPayloadSha256} after verifying.
     *
     * @param bodySha256Hex lower-case hex SHA-256 of the request body
     * @return empty for an anonymous request
     * @throws AuthException for a malformed or unsupported authentication
     */
    public static Optional<AuthInfo> parse(SignedRequest r, String bodySha256Hex) {
        return AuthParser.parse(r, Optional.of(bodySha256Hex));
    }

    /**
     * Verifies scope, time, signed headers and signature.
     *
     * @param secretKey the secret of {@code info.accessKeyId()}
     * @return what chunk-signature verification needs
     * @throws AuthException when the request is not authentic or not valid now
     */
    public VerifiedRequest verify(SignedRequest r, AuthInfo info, String secretKey) {
        checkScope(info);
        String amzDate = SigV4.amzDate(info.requestTime());
        checkCredentialDate(info, amzDate);
        checkTime(r, info);
        checkSignedHeaders(r, info);
        String canonical = SigV4.canonicalRequest(r, info.signedHeaders(),
                AuthParser.payloadHashLine(r, info), info.presigned() ? "X-Amz-Signature" : null);
        String stringToSign = SigV4.stringToSign(amzDate, info.scope(), canonical);
        byte[] key = SigV4.signingKey(secretKey, info.date(), info.region(), info.service());
        if (!SigV4.signaturesEqual(SigV4.sign(key, stringToSign), info.signature())) {
            Map<String, String> extra = new LinkedHashMap<>();
            extra.put("AWSAccessKeyId", info.accessKeyId());
            extra.put("StringToSign", stringToSign);
            extra.put("CanonicalRequest", canonical);
            throw new AuthException(Kind.SIGNATURE_DOES_NOT_MATCH, Kind.SIGNATURE_DOES_NOT_MATCH.defaultMessage(),
                    extra);
        }
        return new VerifiedRequest(info, key, info.signature(), info.scope(), amzDate);
    }

    private void checkScope(AuthInfo info) {
        Kind kind = info.presigned() ? Kind.AUTHORIZATION_QUERY_PARAMETERS_ERROR : Kind.AUTHORIZATION_HEADER_MALFORMED;
        String prefix = info.presigned() ? AuthParser.QUERY_PREFIX : AuthParser.HEADER_PREFIX;
        if (!region.equals(info.region())) {
            throw new AuthException(kind, prefix + "the region '" + info.region() + "' is wrong; expecting '"
                    + region + "'", Map.of("Region", region));
        }
        if (!service.equals(info.service())) {
            throw new AuthException(kind, prefix + "incorrect service \"" + info.service()
                    + "\". This endpoint belongs to \"" + service + "\".");
        }
    }

    private static void checkCredentialDate(AuthInfo info, String amzDate) {
        if (!amzDate.startsWith(info.date())) {
            Kind kind = info.presigned() ? Kind.AUTHORIZATION_QUERY_PARAMETERS_ERROR
                    : Kind.AUTHORIZATION_HEADER_MALFORMED;
            String prefix = info.presigned() ? AuthParser.QUERY_PREFIX : AuthParser.HEADER_PREFIX;
            throw new AuthException(kind, prefix + "Invalid credential date \"" + info.date()
                    + "\". This date is not the same as X-Amz-Date: \"" + amzDate.substring(0, 8) + "\".");
        }
    }

    private void checkTime(SignedRequest r, AuthInfo info) {
        Instant now = clock.instant();
        Instant time = info.requestTime();
        if (!info.presigned()) {
            if (Duration.between(time, now).abs().compareTo(MAX_SKEW) > 0) {
                Map<String, String> extra = new LinkedHashMap<>();
                extra.put("RequestTime", r.header("x-amz-date").or(() -> r.header("date")).orElse(""));
                extra.put("ServerTime", now.truncatedTo(ChronoUnit.SECONDS).toString());
                extra.put("MaxAllowedSkewMilliseconds", String.valueOf(MAX_SKEW.toMillis()));
                throw new AuthException(Kind.REQUEST_TIME_TOO_SKEWED, Kind.REQUEST_TIME_TOO_SKEWED.defaultMessage(),
                        extra);
            }
            return;
        }
        if (time.isAfter(now.plus(MAX_SKEW))) {
            throw new AuthException(Kind.REQUEST_NOT_YET_VALID);
        }
        Duration expires = info.expires().orElse(Duration.ZERO);
        Instant expiry = time.plus(expires);
        if (now.isAfter(expiry)) {
            Map<String, String> extra = new LinkedHashMap<>();
            extra.put("X-Amz-Expires", String.valueOf(expires.getSeconds()));
            extra.put("Expires", expiry.toString());
            extra.put("ServerTime", now.truncatedTo(ChronoUnit.SECONDS).toString());
            throw new AuthException(Kind.REQUEST_EXPIRED, Kind.REQUEST_EXPIRED.defaultMessage(), extra);
        }
    }

    private static void checkSignedHeaders(SignedRequest r, AuthInfo info) {
        TreeSet<String> unsigned = new TreeSet<>();
        if (!info.signedHeaders().contains("host")) {
            unsigned.add("host");
        }
        for (String name : r.headers().keySet()) {
            boolean exempt = info.presigned() && "x-amz-content-sha256".equals(name);
            if (name.startsWith("x-amz-") && !exempt && !info.signedHeaders().contains(name)) {
                unsigned.add(name);
            }
        }
        if (!unsigned.isEmpty()) {
            throw AuthException.headersNotSigned(String.join(", ", unsigned));
        }
    }
}
