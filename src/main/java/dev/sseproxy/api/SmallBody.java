package dev.sseproxy.api;

import dev.sseproxy.error.S3ErrorCode;
import dev.sseproxy.error.S3Exception;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;

/**
 * Reads a small request body (an XML document) into memory, verified like any write body. Its
 * declared size is taken from the {@link BodyBudget} first (503 SlowDown when it is spent) and given
 * back once the request is done with it.
 */
final class SmallBody {
    /** Largest document accepted (a DeleteObjects request of 1,000 long keys fits). */
    static final int MAX = 2 * 1024 * 1024;

    private SmallBody() {
    }

    static Uni<byte[]> read(S3Exchange ex) {
        boolean hasBody = ex.header("content-length") != null || ex.header("transfer-encoding") != null
                || ex.header("x-amz-decoded-content-length") != null;
        if (!hasBody) {
            return Uni.createFrom().item(new byte[0]);
        }
        dev.sseproxy.sse.VerifyingBody body;
        BodyBudget.Lease lease;
        try {
            body = RequestBody.open(ex, false);
            lease = ex.budget().take(Math.min(MAX, declared(ex)));
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(e);
        }
        return Uni.createFrom().<byte[]>emitter(em -> {
            Buffer acc = Buffer.buffer();
            body.exceptionHandler(em::fail);
            body.handler(b -> {
                if (acc.length() + b.length() > MAX) {
                    body.handler(null);
                    em.fail(S3Exception.of(S3ErrorCode.MALFORMED_XML,
                            "Your request was too big."));
                    return;
                }
                acc.appendBuffer(b);
            });
            body.endHandler(v -> em.complete(acc.getBytes()));
            body.resume();
        }).onTermination().invoke(lease::close);
    }

    /** The body's declared (decoded) length; {@link #MAX} when it does not say (RequestBody.open refuses that). */
    private static long declared(S3Exchange ex) {
        String v = ex.header("x-amz-decoded-content-length");
        if (v == null) {
            v = ex.header("content-length");
        }
        try {
            return v == null ? MAX : Math.max(0, Long.parseLong(v.trim()));
        } catch (NumberFormatException e) {
            return MAX;
        }
    }
}
