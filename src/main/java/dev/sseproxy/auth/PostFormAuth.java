package dev.sseproxy.auth;

import dev.sseproxy.auth.AuthException.Kind;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The signature fields of a browser-form POST upload, SigV4 ({@code x-amz-algorithm},
 * {@code x-amz-credential}, {@code x-amz-date}, {@code x-amz-signature}) or SigV2
 * ({@code AWSAccessKeyId}, {@code signature}). Field names must be lower case.
 *
 * <p>Use: {@code parse}; empty means an anonymous form. Look up the secret for
 * {@link #accessKeyId()}, call {@link #verify}, then
 * {@code PostPolicy.parse(policy()).check(fields, now)}.
 *
 * @param accessKeyId access key id
 * @param scope       SigV4 credential scope; empty for SigV2
 * @param date        SigV4 {@code x-amz-date}; empty for SigV2
 * @param signature   the provided signature; never log it
 * @param policy      the base64 policy document
 */
public record PostFormAuth(String accessKeyId, Optional<CredentialScope> scope, Optional<Instant> date,
                           String signature, String policy) {

    /** True for a SigV2 ({@code AWSAccessKeyId} + {@code signature}) form. */
    public boolean sigV2() {
        return scope.isEmpty();
    }

    /**
     * Reads the signature fields of a form.
     *
     * @return empty when the form carries no policy and no signature fields (anonymous upload)
     * @throws AuthException MISSING_FIELDS when a required field is missing, or a malformed-credential error
     */
    public static Optional<PostFormAuth> parse(Map<String, String> fields) {
        boolean v4 = fields.containsKey("x-amz-signature") || fields.containsKey("x-amz-credential")
                || fields.containsKey("x-amz-algorithm");
        boolean v2 = fields.containsKey("signature") || fields.containsKey("awsaccesskeyid");
        if (!v4 && !v2 && !fields.containsKey("policy")) {
            return Optional.empty();
        }
        if (!v4 && !v2) {
            throw AuthException.missingFormField("x-amz-signature");
        }
        String policy = required(fields, "policy", "policy");
        return Optional.of(v4 ? parseV4(fields, policy) : parseV2(fields, policy));
    }

    private static PostFormAuth parseV4(Map<String, String> fields, String policy) {
        String algorithm = required(fields, "x-amz-algorithm", "X-Amz-Algorithm");
        if (!SigV4.ALGORITHM.equals(algorithm)) {
            if (algorithm.startsWith("AWS4-ECDSA")) {
                throw new AuthException(Kind.UNSUPPORTED_ALGORITHM);
            }
            throw new AuthException(Kind.AUTHORIZATION_QUERY_PARAMETERS_ERROR,
                    "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
        }
        CredentialScope scope = CredentialScope.parse(required(fields, "x-amz-credential", "X-Amz-Credential"),
                Kind.AUTHORIZATION_QUERY_PARAMETERS_ERROR, AuthParser.QUERY_PREFIX);
        String dateText = required(fields, "x-amz-date", "X-Amz-Date");
        Instant date = AuthParser.parseAmzDate(dateText).orElseThrow(() -> new AuthException(
                Kind.AUTHORIZATION_QUERY_PARAMETERS_ERROR,
                "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\""));
        String signature = required(fields, "x-amz-signature", "X-Amz-Signature");
        return new PostFormAuth(scope.accessKeyId(), Optional.of(scope), Optional.of(date), signature, policy);
    }

    private static PostFormAuth parseV2(Map<String, String> fields, String policy) {
        String accessKeyId = required(fields, "awsaccesskeyid", "AWSAccessKeyId");
        String signature = required(fields, "signature", "Signature");
        return new PostFormAuth(accessKeyId, Optional.empty(), Optional.empty(), signature, policy);
    }

    private static String required(Map<String, String> fields, String key, String displayName) {
        String value = fields.get(key);
        if (value == null || value.isEmpty()) {
            throw AuthException.missingFormField(displayName);
        }
        return value;
    }

    /**
     * Checks the form signature over the policy (and, for SigV4, region, service and date).
     *
     * @throws AuthException AUTHORIZATION_QUERY_PARAMETERS_ERROR for a wrong scope,
     *                       SIGNATURE_DOES_NOT_MATCH for a wrong signature
     */
    public void verify(String secretKey, String region) {
        if (sigV2()) {
            byte[] expected = PostPolicy.sigV2(secretKey, policy).getBytes(StandardCharsets.US_ASCII);
            if (!MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) {
                throw new AuthException(Kind.SIGNATURE_DOES_NOT_MATCH);
            }
            return;
        }
        CredentialScope s = scope.orElseThrow();
        String prefix = AuthParser.QUERY_PREFIX;
        Kind kind = Kind.AUTHORIZATION_QUERY_PARAMETERS_ERROR;
        if (!region.equals(s.region())) {
            throw new AuthException(kind, prefix + "the region '" + s.region() + "' is wrong; expecting '" + region
                    + "'", Map.of("Region", region));
        }
        if (!"s3".equals(s.service())) {
            throw new AuthException(kind, prefix + "incorrect service \"" + s.service()
                    + "\". This endpoint belongs to \"s3\".");
        }
        String day = SigV4.amzDate(date.orElseThrow()).substring(0, 8);
        if (!day.equals(s.date())) {
            throw new AuthException(kind, prefix + "Invalid credential date \"" + s.date()
                    + "\". This date is not the same as X-Amz-Date: \"" + day + "\".");
        }
        byte[] key = SigV4.signingKey(secretKey, s.date(), s.region(), s.service());
        if (!SigV4.signaturesEqual(PostPolicy.sigV4(key, policy), signature)) {
            throw new AuthException(Kind.SIGNATURE_DOES_NOT_MATCH);
        }
    }

    /** Hides the signature and policy from logs. */
    @Override
    public String toString() {
        return "PostFormAuth[accessKeyId=" + accessKeyId + ", sigV2=" + sigV2() + "]";
    }
}
