package dev.sseproxy.auth;

import dev.sseproxy.auth.AuthException.Kind;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Push decoder for an {@code aws-chunked} request body (spec section 9.2), signed or unsigned,
 * with or without trailer. Memory use is bounded whatever the chunk size: chunk data is streamed
 * to the sink as it arrives and hashed incrementally; only framing lines (at most
 * {@value #MAX_LINE} bytes) and the trailer (at most {@value #MAX_TRAILER_BYTES} bytes) are held.
 *
 * <p>Decoded data reaches the sink before the signature of its chunk can be checked (the check
 * needs the whole chunk). Callers must therefore treat everything as provisional until
 * {@link #finish()} returns normally. Not thread-safe; after any exception the decoder is unusable.
 */
public final class AwsChunkedDecoder {

    /** Longest accepted chunk-header or trailer line, in bytes. */
    public static final int MAX_LINE = 4096;
    /** Largest accepted trailer section, in bytes. */
    public static final int MAX_TRAILER_BYTES = 16384;

    private static final String TRAILER_SIGNATURE = "x-amz-trailer-signature";

    private enum State { HEADER, DATA, DATA_CR, DATA_LF, TRAILER, DONE, FAILED }

    private final ChunkVerifier verifier;
    private final boolean trailerExpected;
    private final long expectedDecodedLength;
    private final LineBuffer line = new LineBuffer(MAX_LINE);
    private final Map<String, String> trailers = new LinkedHashMap<>();
    private final StringBuilder canonicalTrailer = new StringBuilder();
    private State state = State.HEADER;
    private long remaining;
    private String chunkSignature;
    private long decoded;
    private String trailerSignature;
    private boolean blankBeforeTrailer;
    private int trailerBytes;

    /**
     * A decoder without a declared decoded length (compare {@link #decodedLength()} yourself).
     *
     * @param verifierOrNull  checks chunk and trailer signatures; null for unsigned chunks
     * @param trailerExpected true when trailer headers follow the final chunk
     */
    public AwsChunkedDecoder(ChunkVerifier verifierOrNull, boolean trailerExpected) {
        this(verifierOrNull, trailerExpected, -1);
    }

    /**
     * A decoder that also enforces {@code x-amz-decoded-content-length}.
     *
     * @param expectedDecodedLength the declared decoded length, or -1 when unknown
     */
    public AwsChunkedDecoder(ChunkVerifier verifierOrNull, boolean trailerExpected, long expectedDecodedLength) {
        this.verifier = verifierOrNull;
        this.trailerExpected = trailerExpected;
        this.expectedDecodedLength = expectedDecodedLength;
    }

    /**
     * The decoder matching a verified streaming request: chunk signatures are checked for the
     * signed modes, a trailer is expected for the trailer modes.
     *
     * @param expectedDecodedLength {@code x-amz-decoded-content-length}, or -1 when unknown
     * @throws IllegalArgumentException when the request's payload mode is not a streaming mode
     */
    public static AwsChunkedDecoder forRequest(VerifiedRequest request, long expectedDecodedLength) {
        PayloadMode mode = request.info().payloadMode();
        if (!mode.isStreaming()) {
            throw new IllegalArgumentException("not an aws-chunked payload mode: " + mode);
        }
        ChunkVerifier verifier = mode.hasChunkSignatures() ? new ChunkVerifier(request) : null;
        return new AwsChunkedDecoder(verifier, mode.hasTrailer(), expectedDecodedLength);
    }

    /**
     * Consumes encoded bytes (all remaining bytes of {@code encoded}), passing decoded data to
     * {@code decodedSink}. Each buffer given to the sink is a view of {@code encoded}: valid only
     * during the call, not to be modified.
     *
     * @throws AuthException SIGNATURE_DOES_NOT_MATCH, MALFORMED_CHUNK or DECODED_LENGTH_MISMATCH
     */
    public void feed(ByteBuffer encoded, Consumer<ByteBuffer> decodedSink) {
        if (state == State.FAILED) {
            throw new IllegalStateException("decoder already failed");
        }
        try {
            while (encoded.hasRemaining()) {
                step(encoded, decodedSink);
            }
        } catch (RuntimeException e) {
            state = State.FAILED;
            throw e;
        }
    }

    /**
     * Signals the end of the encoded input.
     *
     * @return trailer headers (lower-case names, without {@code x-amz-trailer-signature}), possibly empty
     * @throws AuthException INCOMPLETE_BODY when the body ended early, MALFORMED_CHUNK or
     *                       SIGNATURE_DOES_NOT_MATCH for a bad trailer, DECODED_LENGTH_MISMATCH
     */
    public Map<String, String> finish() {
        if (state == State.FAILED) {
            throw new IllegalStateException("decoder already failed");
        }
        try {
            if (state == State.TRAILER && blankBeforeTrailer && line.isEmpty()
                    && trailers.isEmpty() && trailerSignature == null) {
                endOfTrailer();
            }
            if (state != State.DONE) {
                throw new AuthException(Kind.INCOMPLETE_BODY);
            }
            return Collections.unmodifiableMap(trailers);
        } catch (AuthException e) {
            state = State.FAILED;
            throw e;
        }
    }

    /** Number of decoded bytes passed to the sink so far. */
    public long decodedLength() {
        return decoded;
    }

    static AuthException malformed(String detail) {
        return new AuthException(Kind.MALFORMED_CHUNK, "The aws-chunked request body is malformed: " + detail + ".");
    }

    private void step(ByteBuffer in, Consumer<ByteBuffer> sink) {
        switch (state) {
            case HEADER -> {
                String l = line.read(in);
                if (l != null) {
                    onChunkHeader(ChunkHeader.parse(l, verifier != null));
                }
            }
            case DATA -> data(in, sink);
            case DATA_CR -> expectByte(in, '\r', State.DATA_LF);
            case DATA_LF -> expectByte(in, '\n', State.HEADER);
            case TRAILER -> {
                String l = line.read(in);
                if (l != null) {
                    onTrailerLine(l);
                }
            }
            default -> throw malformed("data after the final chunk");
        }
    }

    private void onChunkHeader(ChunkHeader header) {
        if (header.size() == 0) {
            if (verifier != null) {
                verifier.verifyChunk(header.signature());
            }
            state = State.TRAILER;
            return;
        }
        if (expectedDecodedLength >= 0 && decoded + header.size() > expectedDecodedLength) {
            throw new AuthException(Kind.DECODED_LENGTH_MISMATCH);
        }
        remaining = header.size();
        chunkSignature = header.signature();
        state = State.DATA;
    }

    private void data(ByteBuffer in, Consumer<ByteBuffer> sink) {
        int n = (int) Math.min(remaining, in.remaining());
        ByteBuffer slice = in.slice();
        slice.limit(n);
        in.position(in.position() + n);
        remaining -= n;
        decoded += n;
        if (verifier != null) {
            verifier.update(slice);
            if (remaining == 0) {
                verifier.verifyChunk(chunkSignature);
            }
        }
        sink.accept(slice);
        if (remaining == 0) {
            state = State.DATA_CR;
        }
    }

    private void expectByte(ByteBuffer in, char expected, State next) {
        if (in.get() != expected) {
            throw malformed("chunk data not followed by CRLF");
        }
        state = next;
    }

    private void onTrailerLine(String l) {
        if (l.isEmpty()) {
            boolean nothingYet = trailers.isEmpty() && trailerSignature == null;
            if (trailerExpected && nothingYet && !blankBeforeTrailer) {
                blankBeforeTrailer = true;
                return;
            }
            endOfTrailer();
            return;
        }
        if (!trailerExpected) {
            throw malformed("unexpected trailer after the final chunk");
        }
        trailerBytes += l.length() + 2;
        if (trailerBytes > MAX_TRAILER_BYTES) {
            throw malformed("trailer too large");
        }
        addTrailer(l);
    }

    private void addTrailer(String l) {
        int colon = l.indexOf(':');
        if (colon <= 0) {
            throw malformed("trailer line without a name");
        }
        String name = l.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = l.substring(colon + 1).trim();
        if (trailerSignature != null) {
            throw malformed("trailer after the trailer signature");
        }
        if (TRAILER_SIGNATURE.equals(name)) {
            trailerSignature = value;
            return;
        }
        if (trailers.put(name, value) != null) {
            throw malformed("duplicate trailer " + name);
        }
        canonicalTrailer.append(name).append(':').append(value).append('\n');
    }

    private void endOfTrailer() {
        if (verifier != null && trailerExpected) {
            if (trailerSignature == null) {
                throw malformed("missing x-amz-trailer-signature");
            }
            verifier.verifyTrailer(canonicalTrailer.toString(), trailerSignature);
        }
        if (expectedDecodedLength >= 0 && decoded != expectedDecodedLength) {
            throw new AuthException(Kind.DECODED_LENGTH_MISMATCH);
        }
        state = State.DONE;
    }
}
