package dev.sseproxy.api;

import dev.sseproxy.auth.AuthException;
import dev.sseproxy.auth.AuthInfo;
import dev.sseproxy.auth.AwsChunkedDecoder;
import dev.sseproxy.auth.ChunkVerifier;
import dev.sseproxy.auth.PayloadMode;
import dev.sseproxy.auth.RequestChecksums;
import dev.sseproxy.error.S3ErrorCode;
import dev.sseproxy.error.S3Exception;
import io.vertx.core.http.HttpServerRequest;
import java.util.Optional;

/** Opens the body of a write (PutObject, UploadPart) as a verified stream of the decoded bytes. */
final class RequestBody {
    /** Largest single PUT (and part), as S3: 5 GiB. */
    static final long MAX_PUT = 5L * 1024 * 1024 * 1024;

    private RequestBody() {
    }

    /** Validates the framing headers and returns the body stream; the request is still paused. */
    static dev.sseproxy.sse.VerifyingBody open(S3Exchange ex, boolean forwardChecksum) {
        HttpServerRequest req = ex.request();
        AuthInfo info = ex.authInfo();
        PayloadMode mode = info == null ? PayloadMode.UNSIGNED : info.payloadMode();
        String encoding = req.getHeader("content-encoding");
        boolean awsChunked = mode.isStreaming()
                || (encoding != null && encoding.toLowerCase().contains("aws-chunked"));
        long length = declaredLength(req, awsChunked);
        if (length > MAX_PUT) {
            throw S3Exception.of(S3ErrorCode.ENTITY_TOO_LARGE).withDetail("ProposedSize", Long.toString(length))
                    .withDetail("MaxSizeAllowed", Long.toString(MAX_PUT));
        }
        Optional<RequestChecksums.Expected> checksum = ex.headers().checksum();
        if (checksum.isPresent() && checksum.get().inTrailer() && !mode.hasTrailer()) {
            throw new AuthException(AuthException.Kind.MALFORMED_CHUNK,
                    "x-amz-trailer requires a STREAMING-*-TRAILER x-amz-content-sha256");
        }
        Optional<byte[]> md5 = ex.headers().contentMd5();
        AwsChunkedDecoder decoder = null;
        if (awsChunked) {
            ChunkVerifier cv = mode.hasChunkSignatures() ? new ChunkVerifier(ex.verified()) : null;
            decoder = new AwsChunkedDecoder(cv, mode.hasTrailer());
        }
        dev.sseproxy.sse.VerifyingBody.Digests digests = new dev.sseproxy.sse.VerifyingBody.Digests(
                mode == PayloadMode.SIGNED ? info::checkPayloadSha256 : null, md5, checksum,
                forwardChecksum && checksum.isPresent() && checksum.get().inTrailer());
        if ("100-continue".equalsIgnoreCase(req.getHeader("expect"))) {
            req.response().writeContinue();
        }
        return new dev.sseproxy.sse.VerifyingBody(req, decoder, length, digests);
    }

    private static long declaredLength(HttpServerRequest req, boolean awsChunked) {
        String name = awsChunked ? "x-amz-decoded-content-length" : "content-length";
        String value = req.getHeader(name);
        if (value == null) {
            String te = req.getHeader("transfer-encoding");
            if (!awsChunked && te != null && te.toLowerCase().contains("chunked")) {
                throw S3Exception.notImplementedHeader("Transfer-Encoding");
            }
            throw S3Exception.of(S3ErrorCode.MISSING_CONTENT_LENGTH);
        }
        try {
            long n = Long.parseLong(value.trim());
            if (n < 0) {
                throw new NumberFormatException(value);
            }
            return n;
        } catch (NumberFormatException e) {
            throw S3Exception.invalidArgument("Invalid " + name + " value", name, value);
        }
    }
}
