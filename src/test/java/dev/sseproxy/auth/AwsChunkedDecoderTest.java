package dev.sseproxy.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.auth.AuthException.Kind;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AwsChunkedDecoderTest {

    private static final SigV4Verifier VERIFIER =
            new SigV4Verifier(AwsExamples.clockAt(AwsExamples.TIME), "us-east-1");

    /** Verifies the documented seed request and returns a chunk verifier for its body. */
    private static ChunkVerifier chunkVerifier(boolean trailer) {
        SignedRequest seed = AwsExamples.chunkedPut(trailer);
        AuthInfo info = SigV4Verifier.parse(seed).orElseThrow();
        return new ChunkVerifier(VERIFIER.verify(seed, info, AwsExamples.SECRET_KEY));
    }

    private record Result(byte[] data, Map<String, String> trailers) { }

    private static Result decode(AwsChunkedDecoder decoder, byte[] body, int split) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int off = 0; off < body.length; off += split) {
            ByteBuffer piece = ByteBuffer.wrap(body, off, Math.min(split, body.length - off));
            decoder.feed(piece, b -> {
                byte[] copy = new byte[b.remaining()];
                b.get(copy);
                out.write(copy, 0, copy.length);
            });
            assertEquals(0, piece.remaining(), "feed consumes all input");
        }
        Map<String, String> trailers = decoder.finish();
        return new Result(out.toByteArray(), trailers);
    }

    private static AuthException fails(AwsChunkedDecoder decoder, byte[] body, int split, Kind kind) {
        AuthException e = assertThrows(AuthException.class, () -> decode(decoder, body, split));
        assertEquals(kind, e.kind(), e.getMessage());
        return e;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void awsDocumentedSignedChunkedUploadDecodes() {
        AwsChunkedDecoder decoder = new AwsChunkedDecoder(chunkVerifier(false), false, 66560);
        Result r = decode(decoder, AwsExamples.chunkedBody(), 1 << 20);
        assertArrayEquals(AwsExamples.chunkedObject(), r.data());
        assertEquals(66560, decoder.decodedLength());
        assertEquals(Map.of(), r.trailers());
    }

    @Test
    void decoderForAVerifiedRequestChecksWhatItsPayloadModeDemands() {
        SignedRequest seed = AwsExamples.chunkedPut(true);
        VerifiedRequest v = VERIFIER.verify(seed, SigV4Verifier.parse(seed).orElseThrow(), AwsExamples.SECRET_KEY);
        Result r = decode(AwsChunkedDecoder.forRequest(v, 66560), AwsExamples.trailerBody(), 5000);
        assertEquals(AwsExamples.TRAILER_CRC32C, r.trailers().get("x-amz-checksum-crc32c"));
        byte[] tampered = AwsExamples.trailerBody();
        tampered[200] = 'b';
        fails(AwsChunkedDecoder.forRequest(v, 66560), tampered, 5000, Kind.SIGNATURE_DOES_NOT_MATCH);
        VerifiedRequest plain = VERIFIER.verify(AwsExamples.getObject(),
                SigV4Verifier.parse(AwsExamples.getObject()).orElseThrow(), AwsExamples.SECRET_KEY);
        assertThrows(IllegalArgumentException.class, () -> AwsChunkedDecoder.forRequest(plain, 0));
    }

    @Test
    void feedingOneByteAtATimeDecodesTheSame() {
        Result r = decode(new AwsChunkedDecoder(chunkVerifier(false), false), AwsExamples.chunkedBody(), 1);
        assertArrayEquals(AwsExamples.chunkedObject(), r.data());
    }

    @Test
    void arbitrarySplitsDecodeTheSame() {
        for (int split : new int[] {2, 7, 85, 86, 87, 4096, 65536, 65623, 70000}) {
            Result r = decode(new AwsChunkedDecoder(chunkVerifier(false), false), AwsExamples.chunkedBody(), split);
            assertArrayEquals(AwsExamples.chunkedObject(), r.data(), "split " + split);
        }
    }

    @Test
    void flippedDataByteBreaksTheChunkSignature() {
        byte[] body = AwsExamples.chunkedBody();
        body[100] = 'b';
        fails(new AwsChunkedDecoder(chunkVerifier(false), false), body, 4096, Kind.SIGNATURE_DOES_NOT_MATCH);
    }

    @Test
    void flippedByteInTheSecondChunkIsCaughtToo() {
        byte[] body = AwsExamples.chunkedBody();
        body[body.length - 100] = 'b'; // inside the 1 KiB chunk
        fails(new AwsChunkedDecoder(chunkVerifier(false), false), body, 1000, Kind.SIGNATURE_DOES_NOT_MATCH);
    }

    @Test
    void tamperedFinalChunkSignatureIsRejected() {
        byte[] body = AwsExamples.chunkedBody();
        int i = body.length - 10; // inside the final zero-size chunk's signature
        body[i] = (byte) (body[i] == '0' ? '1' : '0');
        fails(new AwsChunkedDecoder(chunkVerifier(false), false), body, 1000, Kind.SIGNATURE_DOES_NOT_MATCH);
    }

    @Test
    void tamperedChunkSignatureIsRejected() {
        String text = new String(AwsExamples.chunkedBody(), StandardCharsets.US_ASCII)
                .replace(AwsExamples.CHUNK_SIGNATURES[1], "0".repeat(64));
        fails(new AwsChunkedDecoder(chunkVerifier(false), false), ascii(text), 8192, Kind.SIGNATURE_DOES_NOT_MATCH);
    }

    @Test
    void wrongSeedSignatureIsRejected() {
        ChunkVerifier wrongSeed = new ChunkVerifier(SigV4.signingKey(AwsExamples.SECRET_KEY, "20130524", "us-east-1",
                "s3"), AwsExamples.SCOPE, AwsExamples.AMZ_DATE, "1".repeat(64));
        fails(new AwsChunkedDecoder(wrongSeed, false), AwsExamples.chunkedBody(), 8192, Kind.SIGNATURE_DOES_NOT_MATCH);
    }

    @Test
    void truncatedBodyIsIncomplete() {
        byte[] body = AwsExamples.chunkedBody();
        for (int cut : new int[] {0, 10, 90, 50000, body.length - 3, body.length - 1}) {
            AuthException e = fails(new AwsChunkedDecoder(chunkVerifier(false), false), Arrays.copyOf(body, cut),
                    997, Kind.INCOMPLETE_BODY);
            assertEquals("You did not provide the number of bytes specified by the Content-Length HTTP header",
                    e.getMessage());
        }
    }

    @Test
    void missingChunkSignatureIsMalformedWhenSigned() {
        fails(new AwsChunkedDecoder(chunkVerifier(false), false), ascii("3\r\nabc\r\n0\r\n\r\n"), 100,
                Kind.MALFORMED_CHUNK);
    }

    @Test
    void unknownExtensionIsRejectedWhenSignedButIgnoredWhenUnsigned() {
        byte[] body = ascii("3;foo=bar\r\nabc\r\n0;x=y\r\n\r\n");
        fails(new AwsChunkedDecoder(chunkVerifier(false), false), body, 100, Kind.MALFORMED_CHUNK);
        assertArrayEquals(ascii("abc"), decode(new AwsChunkedDecoder(null, false), body, 100).data());
    }

    @Test
    void awsDocumentedSignedTrailerDecodes() {
        for (int split : new int[] {1, 333, 1 << 20}) {
            Result r = decode(new AwsChunkedDecoder(chunkVerifier(true), true, 66560), AwsExamples.trailerBody(), split);
            assertArrayEquals(AwsExamples.chunkedObject(), r.data());
            assertEquals(Map.of("x-amz-checksum-crc32c", AwsExamples.TRAILER_CRC32C), r.trailers());
        }
        RunningChecksum crc = ChecksumAlgorithm.CRC32C.newChecksum();
        crc.update(ByteBuffer.wrap(AwsExamples.chunkedObject()));
        assertEquals(AwsExamples.TRAILER_CRC32C, crc.base64());
    }

    @Test
    void signedTrailerAfterABlankSeparatorLineIsAccepted() {
        String text = new String(AwsExamples.trailerBody(), StandardCharsets.US_ASCII)
                .replace("\r\nx-amz-checksum-crc32c", "\r\n\r\nx-amz-checksum-crc32c");
        Result r = decode(new AwsChunkedDecoder(chunkVerifier(true), true), ascii(text), 4096);
        assertEquals(AwsExamples.TRAILER_CRC32C, r.trailers().get("x-amz-checksum-crc32c"));
    }

    @Test
    void tamperedTrailerValueBreaksTheTrailerSignature() {
        String text = new String(AwsExamples.trailerBody(), StandardCharsets.US_ASCII).replace("sOO8/Q==", "sOO8/A==");
        fails(new AwsChunkedDecoder(chunkVerifier(true), true), ascii(text), 4096, Kind.SIGNATURE_DOES_NOT_MATCH);
    }

    @Test
    void missingTrailerSignatureIsRejectedWhenSigned() {
        String text = new String(AwsExamples.trailerBody(), StandardCharsets.US_ASCII)
                .replaceAll("x-amz-trailer-signature:[0-9a-f]{64}\r\n", "");
        fails(new AwsChunkedDecoder(chunkVerifier(true), true), ascii(text), 4096, Kind.MALFORMED_CHUNK);
    }

    @Test
    void unsignedTrailerBodyFromTheSpecDecodes() {
        byte[] body = ascii("b\r\nhello world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n");
        for (int split = 1; split <= body.length; split++) {
            Result r = decode(new AwsChunkedDecoder(null, true, 11), body, split);
            assertArrayEquals(ascii("hello world"), r.data());
            assertEquals(Map.of("x-amz-checksum-crc32", "DUoRhQ=="), r.trailers());
        }
    }

    @Test
    void trailerWhereNoneIsExpectedIsMalformed() {
        byte[] body = ascii("b\r\nhello world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n");
        fails(new AwsChunkedDecoder(null, false), body, 100, Kind.MALFORMED_CHUNK);
    }

    @Test
    void unsignedTrailerModeWithoutTrailerLinesEndsCleanly() {
        Result r = decode(new AwsChunkedDecoder(null, true), ascii("3\r\nabc\r\n0\r\n\r\n"), 100);
        assertArrayEquals(ascii("abc"), r.data());
        assertEquals(Map.of(), r.trailers());
    }

    @Test
    void framingErrorsAreMalformed() {
        fails(new AwsChunkedDecoder(null, false), ascii("zz\r\nabc\r\n0\r\n\r\n"), 100, Kind.MALFORMED_CHUNK);
        fails(new AwsChunkedDecoder(null, false), ascii("3\nabc\r\n0\r\n\r\n"), 100, Kind.MALFORMED_CHUNK);
        fails(new AwsChunkedDecoder(null, false), ascii("3\r\nabcX\r\n0\r\n\r\n"), 100, Kind.MALFORMED_CHUNK);
        fails(new AwsChunkedDecoder(null, false), ascii("3\r\nabc\r\n0\r\n\r\nextra"), 100, Kind.MALFORMED_CHUNK);
        fails(new AwsChunkedDecoder(null, false), ascii(";\r\n"), 100, Kind.MALFORMED_CHUNK);
        fails(new AwsChunkedDecoder(null, false), ascii("1000000000000000\r\n"), 100, Kind.MALFORMED_CHUNK);
    }

    @Test
    void absurdlyLongHeaderLineIsRejectedWithoutBufferingIt() {
        byte[] body = ascii("3;" + "x".repeat(AwsChunkedDecoder.MAX_LINE + 10) + "\r\nabc\r\n0\r\n\r\n");
        AuthException e = fails(new AwsChunkedDecoder(null, false), body, 512, Kind.MALFORMED_CHUNK);
        assertTrue(e.getMessage().contains("too long"), e.getMessage());
        byte[] endless = new byte[100_000];
        Arrays.fill(endless, (byte) '1');
        fails(new AwsChunkedDecoder(null, false), endless, 1000, Kind.MALFORMED_CHUNK);
    }

    @Test
    void decodedLengthMustMatchTheDeclaredLength() {
        byte[] body = ascii("b\r\nhello world\r\n0\r\n\r\n");
        fails(new AwsChunkedDecoder(null, false, 10), body, 100, Kind.DECODED_LENGTH_MISMATCH);
        fails(new AwsChunkedDecoder(null, false, 12), body, 100, Kind.DECODED_LENGTH_MISMATCH);
        assertArrayEquals(ascii("hello world"), decode(new AwsChunkedDecoder(null, false, 11), body, 100).data());
    }

    @Test
    void largeChunkIsStreamedBeforeItEnds() {
        int size = 4 << 20;
        byte[] header = ascii(Integer.toHexString(size) + "\r\n");
        byte[] data = new byte[size];
        Arrays.fill(data, (byte) 7);
        AwsChunkedDecoder decoder = new AwsChunkedDecoder(null, false, size);
        long[] seen = {0, 0};
        decoder.feed(ByteBuffer.wrap(header), b -> seen[0] += b.remaining());
        ByteBuffer half = ByteBuffer.wrap(data, 0, size / 2);
        decoder.feed(half, b -> {
            seen[0] += b.remaining();
            seen[1] = Math.max(seen[1], b.remaining());
        });
        assertEquals(size / 2, seen[0], "first half delivered before the chunk is complete");
        assertTrue(seen[1] <= size / 2);
        decoder.feed(ByteBuffer.wrap(data, size / 2, size / 2), b -> seen[0] += b.remaining());
        decoder.feed(ByteBuffer.wrap(ascii("\r\n0\r\n\r\n")), b -> seen[0] += b.remaining());
        assertEquals(Map.of(), decoder.finish());
        assertEquals(size, seen[0]);
    }

    @Test
    void directBuffersAndOffsetsAreHandled() {
        byte[] body = AwsExamples.chunkedBody();
        ByteBuffer direct = ByteBuffer.allocateDirect(body.length + 10);
        direct.position(10);
        direct.put(body);
        direct.position(10);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AwsChunkedDecoder decoder = new AwsChunkedDecoder(chunkVerifier(false), false);
        decoder.feed(direct, b -> {
            byte[] copy = new byte[b.remaining()];
            b.get(copy);
            out.write(copy, 0, copy.length);
        });
        decoder.finish();
        assertArrayEquals(AwsExamples.chunkedObject(), out.toByteArray());
    }

    @Test
    void decoderIsUnusableAfterAFailure() {
        AwsChunkedDecoder decoder = new AwsChunkedDecoder(null, false);
        assertThrows(AuthException.class, () -> decoder.feed(ByteBuffer.wrap(ascii("zz\r\n")), b -> { }));
        assertThrows(IllegalStateException.class, () -> decoder.feed(ByteBuffer.wrap(ascii("0\r\n")), b -> { }));
        assertThrows(IllegalStateException.class, decoder::finish);
    }
}
