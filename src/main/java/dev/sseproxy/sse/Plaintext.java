package dev.sseproxy.sse;

import dev.sseproxy.crypto.Envelope;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A plaintext to encrypt and store: the client's verified body ({@link VerifyingBody}), a copy
 * source being decrypted ({@link DecryptingBody}) or bytes the proxy wrote itself.
 *
 * @param length   the plaintext length
 * @param md5Hex   the plaintext MD5 when known up front (Content-MD5)
 * @param checksum the verified checksum, asked for once the stream has ended
 */
public record Plaintext(ReadStream<Buffer> stream, long length, Optional<String> md5Hex,
        Supplier<Optional<Envelope.Checksum>> checksum) {
}
