package dev.sseproxy.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Verifies the signature chain of a signed aws-chunked body: every chunk signature (string to
 * sign {@code AWS4-HMAC-SHA256-PAYLOAD}) and the trailer signature
 * ({@code AWS4-HMAC-SHA256-TRAILER}), each chained to the previous signature, starting from the
 * request (seed) signature. Chunk data is hashed incrementally, so memory stays constant.
 */
public final class ChunkVerifier {

    private static final String CHUNK_ALGORITHM = "AWS4-HMAC-SHA256-PAYLOAD";
    private static final String TRAILER_ALGORITHM = "AWS4-HMAC-SHA256-TRAILER";

    private final byte[] signingKey;
    private final String scope;
    private final String amzDate;
    private final MessageDigest chunkDigest = SigV4.newSha256();
    private String previousSignature;

    /** A verifier seeded with the verified request's signature, key, scope and timestamp. */
    public ChunkVerifier(VerifiedRequest request) {
        this(request.signingKey(), request.scope(), request.amzDate(), request.seedSignature());
    }

    ChunkVerifier(byte[] signingKey, String scope, String amzDate, String seedSignature) {
        this.signingKey = signingKey.clone();
        this.scope = scope;
        this.amzDate = amzDate;
        this.previousSignature = seedSignature;
    }

    /** Hashes more data of the current chunk; the buffer's position is not changed. */
    public void update(ByteBuffer data) {
        chunkDigest.update(data.duplicate());
    }

    /**
     * Ends the current chunk and checks its signature.
     *
     * @throws AuthException SIGNATURE_DOES_NOT_MATCH when the signature is wrong
     */
    public void verifyChunk(String providedSignature) {
        String dataHash = SigV4.hex(chunkDigest.digest());
        String stringToSign = CHUNK_ALGORITHM + "\n" + amzDate + "\n" + scope + "\n" + previousSignature + "\n"
                + SigV4.EMPTY_SHA256 + "\n" + dataHash;
        check(stringToSign, providedSignature);
    }

    /**
     * Checks the trailer signature.
     *
     * @param canonicalTrailer the trailer headers as {@code name:value\n} lines (signature line excluded)
     * @throws AuthException SIGNATURE_DOES_NOT_MATCH when the signature is wrong
     */
    public void verifyTrailer(String canonicalTrailer, String providedSignature) {
        String stringToSign = TRAILER_ALGORITHM + "\n" + amzDate + "\n" + scope + "\n" + previousSignature + "\n"
                + SigV4.hex(SigV4.sha256(canonicalTrailer.getBytes(StandardCharsets.UTF_8)));
        check(stringToSign, providedSignature);
    }

    private void check(String stringToSign, String providedSignature) {
        String expected = SigV4.sign(signingKey, stringToSign);
        if (!SigV4.signaturesEqual(expected, providedSignature)) {
            throw new AuthException(AuthException.Kind.SIGNATURE_DOES_NOT_MATCH);
        }
        previousSignature = expected;
    }

    /** Hides the key from logs. */
    @Override
    public String toString() {
        return "ChunkVerifier[scope=" + scope + "]";
    }
}
