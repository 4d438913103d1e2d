package dev.sseproxy.auth;

/**
 * The outcome of a successful SigV4 verification: who signed, and what chunk-signature checking
 * of an aws-chunked body needs.
 *
 * @param info          the parsed authentication
 * @param signingKey    the derived SigV4 signing key (secret material: never log it)
 * @param seedSignature the request signature, the "previous signature" of the first chunk
 * @param scope         credential scope {@code yyyymmdd/region/s3/aws4_request}
 * @param amzDate       request timestamp {@code yyyyMMdd'T'HHmmss'Z'} as used in the string to sign
 */
public record VerifiedRequest(AuthInfo info, byte[] signingKey, String seedSignature, String scope,
                              String amzDate) {

    /** Copies the key so the record cannot be changed through the caller's array. */
    public VerifiedRequest {
        signingKey = signingKey.clone();
    }

    /** A copy of the signing key. */
    @Override
    public byte[] signingKey() {
        return signingKey.clone();
    }

    /** The access key id that signed the request. */
    public String accessKeyId() {
        return info.accessKeyId();
    }

    /** Hides key and signature from logs. */
    @Override
    public String toString() {
        return "VerifiedRequest[accessKeyId=" + info.accessKeyId() + ", scope=" + scope + ", amzDate=" + amzDate + "]";
    }
}
