package dev.sseproxy.api;

import dev.sseproxy.backend.BackendCall;
import dev.sseproxy.crypto.Envelope;
import dev.sseproxy.crypto.FrameEncryptor;
import dev.sseproxy.crypto.FrameFormat;
import dev.sseproxy.crypto.ObjectIdentity;
import dev.sseproxy.crypto.PartTable;
import dev.sseproxy.sse.ObjectKeys;
import dev.sseproxy.sse.SseHeaders;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Writes one encrypted object (a single part) to the backend: PutObject, POST Object and the
 * destination of CopyObject. Small bodies are encrypted in memory (within the global
 * {@link BodyBudget}), so the envelope is complete in one request; larger ones, and small ones
 * that find the budget spent, stream, and when something only known at the end belongs in the
 * envelope (the MD5 ETag of SSE-S3, a trailer checksum) it is stamped by a metadata-only copy.
 */
final class EncryptedWrites {
    private EncryptedWrites() {
    }

    /**
     * A plaintext to store.
     *
     * @param md5Hex   the plaintext MD5 when known up front (Content-MD5)
     * @param checksum the verified checksum, asked for once the stream has ended
     */
    record Plain(ReadStream<Buffer> stream, long length, Optional<String> md5Hex,
            Supplier<Optional<Envelope.Checksum>> checksum) {
    }

    /**
     * What the client is told: the quoted ETag, the SSE headers and the checksum; and the backend's ETag
     * of the object written when its answer said it (null after a restamp, whose answer is a document).
     */
    record Written(String etag, SseHeaders sse, Optional<Envelope.Checksum> checksum, String backendEtag) {
        Written(String etag, SseHeaders sse, Optional<Envelope.Checksum> checksum) {
            this(etag, sse, checksum, null);
        }
    }

    /**
     * Encrypts {@code plain} under {@code keys} into {@code bucket/key}. {@code stored} holds the
     * headers the backend stores with the object (entity headers, user metadata, tagging) and any
     * conditional headers for the backend PUT. Closes {@code keys}.
     */
    static Uni<Written> write(SseSupport sse, String bucket, String key, ObjectKeys.WriteKeys keys, Plain plain,
            MultiMap stored) {
        long start = System.nanoTime();
        ObjectIdentity id = new ObjectIdentity(bucket, key);
        FrameEncryptor encryptor;
        PartTable table = PartTable.single(plain.length());
        byte[] tableMac;
        try (keys) {
            encryptor = new FrameEncryptor(keys.objectKey(), id, 1, plain.length());
            tableMac = dev.sseproxy.crypto.TableMac.of(keys.objectKey(), table);
        }
        Envelope.Builder env = keys.envelope().partTable(table).tableMac(tableMac);
        Runnable sweep = () -> sse.envelopes.sweepInBackground(bucket, java.util.List.of(key), null, start);
        boolean md5Etag = env.build().sseMode() == dev.sseproxy.crypto.SseMode.SSE_S3;
        long cipherLength = FrameFormat.ciphertextLength(plain.length());
        BackendCall call = BackendCall.of("PUT", bucket, key);
        call.headers().addAll(stored);
        // a small body is held in heap until the backend took it: its bytes come from the budget,
        // and when that is spent it streams like a large one
        BodyBudget.Lease lease = plain.length() <= sse.bufferLimit ? sse.budget.takeOrStream(cipherLength) : null;
        // a streamed body's frames are pooled direct buffers, released by the backend request once written
        EncryptingBody body = new EncryptingBody(plain.stream(), encryptor, lease == null);
        if (lease != null) {
            return collect(body).chain(ciphertext -> {
                if (md5Etag) {
                    env.plaintextEtag(body.plaintextMd5());
                } else {
                    env.plaintextEtag(md5Hex(ciphertext));
                }
                Optional<Envelope.Checksum> cks = plain.checksum().get();
                cks.ifPresent(env::checksum);
                Envelope e = env.build();
                e.toMetadata().forEach(call::header);
                return sse.store.exchange(call.withBody(BackendCall.Body.of(ciphertext))).invoke(sweep)
                        .map(r -> new Written(Ops.quoteEtag(e.plaintextEtag()), keys.headers(), cks,
                                r.headers().get("etag")));
            }).onTermination().invoke(lease::close);
        }
        plain.md5Hex().filter(m -> md5Etag).ifPresent(env::plaintextEtag);
        Envelope first = env.build();
        first.toMetadata().forEach(call::header);
        return sse.store.exchange(call.withBody(BackendCall.Body.of(body, cipherLength))).invoke(sweep).chain(reply -> {
            String backendEtag = reply.headers().get("etag");
            Optional<Envelope.Checksum> cks = plain.checksum().get();
            boolean stamp = first.plaintextEtag() == null && md5Etag || cks.isPresent();
            if (!stamp) {
                return Uni.createFrom().item(new Written(SseSupport.etag(Optional.of(first), reply.headers()),
                        keys.headers(), cks, backendEtag));
            }
            env.plaintextEtag(md5Etag ? body.plaintextMd5() : unquote(backendEtag));
            cks.ifPresent(env::checksum);
            Envelope done = env.build();
            return sse.restamp(bucket, key, backendEtag, stored, done.toMetadata())
                    .map(r -> new Written(Ops.quoteEtag(done.plaintextEtag()), keys.headers(), cks));
        });
    }

    static String unquote(String etag) {
        if (etag == null) {
            return null;
        }
        String t = etag.trim();
        return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
    }

    static Uni<Buffer> collect(ReadStream<Buffer> s) {
        return Uni.createFrom().emitter(em -> {
            Buffer all = Buffer.buffer();
            s.exceptionHandler(em::fail);
            s.endHandler(v -> em.complete(all));
            s.handler(all::appendBuffer);
            s.resume();
        });
    }

    static String md5Hex(Buffer b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b.getBytes()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
