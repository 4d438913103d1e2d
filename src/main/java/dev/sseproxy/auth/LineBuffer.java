package dev.sseproxy.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Accumulates one CRLF-terminated line of aws-chunked framing across arbitrary input splits,
 * with a hard length limit so memory stays bounded.
 */
final class LineBuffer {

    private final byte[] buf;
    private int length;

    LineBuffer(int maxLength) {
        this.buf = new byte[maxLength + 1];
    }

    /**
     * Consumes bytes up to and including the next LF.
     *
     * @return the completed line without its CRLF, or null when more input is needed
     * @throws AuthException MALFORMED_CHUNK for an over-long line or an LF not preceded by CR
     */
    String read(ByteBuffer in) {
        while (in.hasRemaining()) {
            byte b = in.get();
            if (b == '\n') {
                if (length == 0 || buf[length - 1] != '\r') {
                    throw AwsChunkedDecoder.malformed("line not terminated by CRLF");
                }
                String line = new String(buf, 0, length - 1, StandardCharsets.UTF_8);
                length = 0;
                return line;
            }
            if (length == buf.length) {
                throw AwsChunkedDecoder.malformed("chunk header or trailer line too long");
            }
            buf[length++] = b;
        }
        return null;
    }

    /** True when part of a line has been read. */
    boolean isEmpty() {
        return length == 0;
    }
}
