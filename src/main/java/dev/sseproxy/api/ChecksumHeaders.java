package dev.sseproxy.api;

import dev.sseproxy.backend.BackendCall;
import dev.sseproxy.crypto.Envelope;
import dev.sseproxy.sse.VerifyingBody;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code x-amz-checksum-*} headers of an object write and read: the request's checksum
 * ({@link dev.sseproxy.auth.RequestHeaders#checksum}, parsed once per request) forwarded to the backend
 * for a plaintext (legacy) write, and the verified or stored checksum echoed to the client.
 */
final class ChecksumHeaders {
    private ChecksumHeaders() {
    }

    /** Forwards the verified checksum of a plaintext write to the backend (a trailer stays a trailer). */
    static void forward(S3Exchange ex, BackendCall call) {
        ex.headers().checksum().ifPresent(e -> {
            if (e.inTrailer()) {
                call.header("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
                        .header("content-encoding", mergeEncoding(call.headers().get("content-encoding")))
                        .header("x-amz-decoded-content-length", ex.header("x-amz-decoded-content-length"))
                        .header("x-amz-trailer", e.algorithm().headerName());
            } else {
                call.header(e.algorithm().headerName(), e.headerValue().orElseThrow());
            }
        });
    }

    private static String mergeEncoding(String stored) {
        return stored == null || stored.isEmpty() ? "aws-chunked" : "aws-chunked," + stored;
    }

    /** Echoes the checksum {@code body} verified (a full-object checksum). */
    static void echo(S3Exchange ex, VerifyingBody body) {
        ex.headers().checksum().ifPresent(e -> body.verifiedChecksum().ifPresent(v -> ex.response()
                .putHeader(e.algorithm().headerName(), v).putHeader("x-amz-checksum-type", "FULL_OBJECT")));
    }

    /** Echoes a stored or verified checksum ({@code -N}: the composite checksum of a multipart object). */
    static void echo(S3Exchange ex, Optional<Envelope.Checksum> c) {
        c.ifPresent(v -> ex.response().putHeader("x-amz-checksum-" + v.algorithm().toLowerCase(Locale.ROOT),
                v.value()).putHeader("x-amz-checksum-type", v.value().contains("-") ? "COMPOSITE" : "FULL_OBJECT"));
    }

    /** The envelope's name of a checksum algorithm ({@code CRC32}) from its header name. */
    static String algorithmName(String headerName) {
        return headerName.substring("x-amz-checksum-".length()).toUpperCase(Locale.ROOT);
    }
}
