package dev.sseproxy.sse;

import dev.sseproxy.auth.AuthException;
import dev.sseproxy.auth.AwsChunkedDecoder;
import dev.sseproxy.auth.RequestChecksums;
import dev.sseproxy.auth.RunningChecksum;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The client's request body as the backend receives it: aws-chunked framing decoded (chunk
 * signatures checked), the payload SHA-256, Content-MD5 and the checksum verified, the length
 * checked. The last buffer is held back until every check has passed, so a body that fails any
 * check never reaches the backend complete (its request is reset instead). When
 * {@code reframeTrailer} is set the output is re-framed as unsigned aws-chunked with the verified
 * checksum as trailer, so the backend stores that checksum too.
 */
public final class VerifyingBody extends TransformingStream {
    private final AwsChunkedDecoder decoder;
    private final long expectedLength;
    private final MessageDigest sha256;
    private final Runnable sha256Check;
    private final MessageDigest md5;
    private final byte[] expectedMd5;
    private final RequestChecksums.Expected checksum;
    private final RunningChecksum running;
    private final boolean reframeTrailer;
    private final Consumer<ByteBuffer> sink = this::emitDecoded;

    private Buffer held;
    private long count;
    private Map<String, String> trailers = Map.of();

    public VerifyingBody(ReadStream<Buffer> source, AwsChunkedDecoder decoder, long expectedLength, Digests d) {
        super(source);
        this.decoder = decoder;
        this.expectedLength = expectedLength;
        this.sha256 = d.sha256Check() == null ? null : newDigest("SHA-256");
        this.sha256Check = d.sha256Check() == null ? null : () -> d.sha256Check().accept(sha256.digest());
        this.expectedMd5 = d.contentMd5().orElse(null);
        this.md5 = expectedMd5 == null ? null : newDigest("MD5");
        this.checksum = d.checksum().orElse(null);
        this.running = checksum == null ? null : checksum.algorithm().newChecksum();
        this.reframeTrailer = d.reframeTrailer() && checksum != null;
    }

    /** What to verify: a SHA-256 check (signed payloads), Content-MD5, a checksum. */
    public record Digests(Consumer<byte[]> sha256Check, Optional<byte[]> contentMd5,
            Optional<RequestChecksums.Expected> checksum, boolean reframeTrailer) {
    }

    /** The verified checksum value (base64), available once the body has ended successfully. */
    public Optional<String> verifiedChecksum() {
        return checksum == null ? Optional.empty()
                : Optional.of(checksum.headerValue().orElseGet(() -> trailers.get(checksum.algorithm().headerName())));
    }

    private static MessageDigest newDigest(String alg) {
        try {
            return MessageDigest.getInstance(alg);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected void onData(Buffer b) {
        try {
            if (decoder != null) {
                decoder.feed(b.getByteBuf().nioBuffer(), sink);
            } else {
                take(b);
            }
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private void emitDecoded(ByteBuffer bb) {
        take(Buffer.buffer(Unpooled.wrappedBuffer(bb)));
    }

    private void take(Buffer d) {
        if (d.length() == 0) {
            return;
        }
        count += d.length();
        if (count > expectedLength) {
            throw new AuthException(AuthException.Kind.DECODED_LENGTH_MISMATCH);
        }
        if (sha256 != null || md5 != null || running != null) {
            ByteBuffer nio = d.getByteBuf().nioBuffer();
            if (sha256 != null) {
                sha256.update(nio.duplicate());
            }
            if (md5 != null) {
                md5.update(nio.duplicate());
            }
            if (running != null) {
                running.update(nio.duplicate());
            }
        }
        Buffer out = reframeTrailer ? frame(d) : d;
        Buffer previous = held;
        held = out;
        if (previous != null && hasDataHandler()) {
            emit(previous);
        }
    }

    private static Buffer frame(Buffer d) {
        return Buffer.buffer(d.length() + 16).appendString(Integer.toHexString(d.length())).appendString("\r\n")
                .appendBuffer(d).appendString("\r\n");
    }

    @Override
    protected void onEnd() {
        try {
            if (decoder != null) {
                trailers = decoder.finish();
            }
            if (count != expectedLength) {
                throw new AuthException(AuthException.Kind.INCOMPLETE_BODY);
            }
            if (sha256Check != null) {
                sha256Check.run();
            }
            if (md5 != null) {
                RequestChecksums.checkContentMd5(expectedMd5, md5.digest());
            }
            if (checksum != null) {
                checksum.check(trailers, running);
            }
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        if (held != null && hasDataHandler()) {
            emit(held);
            held = null;
        }
        if (reframeTrailer && hasDataHandler()) {
            emit(Buffer.buffer("0\r\n" + checksum.algorithm().headerName() + ":"
                    + verifiedChecksum().orElseThrow() + "\r\n\r\n"));
        }
        end();
    }

    @Override
    protected void fail(Throwable e) {
        held = null;
        super.fail(e);
    }

    /** Length of what this stream emits (the decoded length, or -1 when re-framed: sent chunked). */
    public long outputLength() {
        return reframeTrailer ? -1 : expectedLength;
    }
}
