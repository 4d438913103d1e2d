package dev.sseproxy.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sseproxy.auth.ChecksumAlgorithm;
import dev.sseproxy.auth.RunningChecksum;
import dev.sseproxy.backend.BackendCall;
import dev.sseproxy.backend.BackendXml;
import dev.sseproxy.catalog.MultipartUploads;
import dev.sseproxy.crypto.Envelope;
import dev.sseproxy.crypto.FrameEncryptor;
import dev.sseproxy.crypto.FrameFormat;
import dev.sseproxy.crypto.ObjectIdentity;
import dev.sseproxy.crypto.PartTable;
import dev.sseproxy.error.S3ErrorCode;
import dev.sseproxy.error.S3Exception;
import dev.sseproxy.sse.CustomerKey;
import dev.sseproxy.sse.ObjectKeys;
import dev.sseproxy.sse.SseException;
import dev.sseproxy.sse.SseHeaders;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Encrypted multipart uploads: every part is encrypted under the upload's one object key, the
 * part's frames under the part number it was claimed with ({@link MultipartUploads}); completion
 * turns the parts the backend kept into the object's part table and envelope.
 */
@Singleton
final class EncryptedParts {
    static final String INITIATE_REQUESTED = "The multipart upload initiate requested encryption. Subsequent part "
            + "requests must include the appropriate encryption parameters.";
    static final String NOT_MATCHING = "The provided encryption parameters did not match the ones used originally.";
    private static final ObjectMapper JSON = new ObjectMapper();

    final MultipartUploads uploads;
    final SseSupport sse;

    EncryptedParts(MultipartUploads uploads, SseSupport sse) {
        this.uploads = uploads;
        this.sse = sse;
    }

    /** An open encrypted upload with its provisional envelope. */
    record Open(MultipartUploads.Upload upload, Envelope envelope) {
        ObjectIdentity identity() {
            return new ObjectIdentity(upload.bucket(), upload.key());
        }

        boolean md5Etags() {
            return envelope.sseMode() == dev.sseproxy.crypto.SseMode.SSE_S3;
        }
    }

    /** What UploadPart / UploadPartCopy answer. */
    record PartResult(String etag, SseHeaders sse, Optional<Envelope.Checksum> checksum) {
    }

    static String json(Map<String, String> metadata) {
        try {
            return JSON.writeValueAsString(metadata);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The open encrypted upload {@code uploadId} of {@code ex}'s object; empty for a plaintext (legacy)
     * upload; NoSuchUpload for another object's upload or a completed one.
     */
    Uni<Optional<Open>> find(S3Exchange ex, String uploadId) {
        return stored(ex, uploadId).map(found -> found.map(s -> {
            if (s.completion().isPresent()) {
                throw S3Exception.noSuchUpload(uploadId);
            }
            return s.open();
        }));
    }

    /** An encrypted upload of {@code ex}'s object, open or completed. */
    record Stored(Open open, Optional<MultipartUploads.Completion> completion) {
    }

    /** The encrypted upload {@code uploadId} of {@code ex}'s object, open or completed; empty for a legacy upload. */
    Uni<Optional<Stored>> stored(S3Exchange ex, String uploadId) {
        return uploads.find(uploadId).map(found -> found.map(s -> {
            MultipartUploads.Upload u = s.upload();
            if (!u.bucket().equals(ex.bucket()) || !u.key().equals(ex.key())) {
                throw S3Exception.noSuchUpload(uploadId);
            }
            try {
                Map<String, String> meta = JSON.readValue(u.envelopeJson(), new TypeReference<Map<String, String>>() { });
                return new Stored(new Open(u, Envelope.fromMetadata(meta).orElseThrow()), s.completion());
            } catch (IOException e) {
                throw new IllegalStateException("unreadable upload envelope", e);
            }
        }));
    }

    /** The SSE-C rules for parts (spec §3.5). */
    static void checkPartKey(Open open, Optional<CustomerKey> customer) {
        boolean sseC = open.envelope().sseMode() == dev.sseproxy.crypto.SseMode.SSE_C;
        if (sseC != customer.isPresent()) {
            throw S3Exception.invalidRequest(INITIATE_REQUESTED);
        }
        if (sseC) {
            try {
                ObjectKeys.checkReadHeaders(open.envelope(), customer);
            } catch (SseException e) {
                throw S3Exception.invalidRequest(NOT_MATCHING);
            }
        }
    }

    /**
     * S / K / X / B on UploadPart and UploadPartCopy (spec §3.5): refused with S3's InvalidArgument,
     * except that a part of an SSE-KMS (or DSSE-KMS) upload may repeat the upload's own settings, as
     * SDKs that copy the initiate's headers onto every part do: S must name the upload's mode, and K
     * (resolved as a write would: id, ARN, alias), X (compared as a map) and B, when present, must
     * equal the upload's key, context and bucket-key setting. Anything else is refused.
     */
    Uni<Void> checkSseHeaders(S3Exchange ex, Optional<Open> open) {
        boolean any = SseSupport.WRITE_ONLY.stream().anyMatch(n -> ex.header(n) != null);
        if (!any) {
            return Uni.createFrom().voidItem();
        }
        if (open.isEmpty() || !repeatsMode(ex, open.get()) || !repeatsContext(ex, open.get())
                || !repeatsBucketKey(ex, open.get())) {
            MultipartOperations.rejectSseHeaders(ex);
        }
        String k = ex.header(dev.sseproxy.sse.EncryptionPolicy.K);
        String arn = open.get().envelope().kmsKeyArn();
        if (k == null || k.trim().equals(arn)) {
            return Uni.createFrom().voidItem();
        }
        return sse.keys.kmsKeyArn(k.trim(), SseSupport.keyRequester(ex))
                .onFailure(e -> e instanceof S3Exception || e instanceof dev.sseproxy.kms.registry.KeyRegistryException)
                .recoverWithItem(e -> "")
                .map(resolved -> {
                    if (!resolved.equals(arn)) {
                        MultipartOperations.rejectSseHeaders(ex);
                    }
                    return null;
                });
    }

    private static boolean repeatsMode(S3Exchange ex, Open open) {
        String s = ex.header(dev.sseproxy.sse.EncryptionPolicy.S);
        var mode = open.envelope().sseMode();
        return s != null && (mode == dev.sseproxy.crypto.SseMode.SSE_KMS || mode == dev.sseproxy.crypto.SseMode.DSSE_KMS)
                && dev.sseproxy.sse.SseMode.fromHeader(s.trim()).map(m -> m.name().equals(mode.name())).orElse(false);
    }

    private static boolean repeatsContext(S3Exchange ex, Open open) {
        String x = ex.header(dev.sseproxy.sse.EncryptionPolicy.X);
        if (x == null) {
            return true;
        }
        Optional<Map<String, String>> part = context(x);
        Optional<Map<String, String>> upload = open.upload().contextHeader().map(EncryptedParts::context)
                .orElse(Optional.of(Map.of()));
        return part.isPresent() && part.equals(upload);
    }

    private static boolean repeatsBucketKey(S3Exchange ex, Open open) {
        String b = ex.header(dev.sseproxy.sse.EncryptionPolicy.B);
        if (b == null) {
            return true;
        }
        String v = b.trim().toLowerCase(java.util.Locale.ROOT);
        boolean uploadHas = open.envelope().wrappingScheme() == dev.sseproxy.crypto.WrappingScheme.BUCKET_KEY;
        return (v.equals("true") || v.equals("false")) && v.equals(Boolean.toString(uploadHas));
    }

    /** A base64 JSON object of string values as a map; empty when it is not one. */
    private static Optional<Map<String, String>> context(String header) {
        try {
            var node = JSON.readTree(Base64.getDecoder().decode(header.trim()));
            if (node == null || !node.isObject()) {
                return Optional.empty();
            }
            Map<String, String> out = new java.util.TreeMap<>();
            for (var it = node.fields(); it.hasNext(); ) {
                var e = it.next();
                if (!e.getValue().isTextual()) {
                    return Optional.empty();
                }
                out.put(e.getKey(), e.getValue().asText());
            }
            return Optional.of(out);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** What part responses report (S K B for KMS, S for SSE-S3, the key MD5 for SSE-C). */
    static SseHeaders headers(Open open, Optional<CustomerKey> customer) {
        return ObjectKeys.headersOf(open.envelope(), customer);
    }

    /** Encrypts one part attempt and records it. */
    Uni<PartResult> put(S3Exchange ex, Open open, int partNumber, EncryptedWrites.Plain plain,
            Optional<CustomerKey> customer) {
        ObjectIdentity id = open.identity();
        String uploadId = open.upload().uploadId();
        return sse.keys.forUpload(open.envelope(), id, customer, SseSupport.keyRequester(ex))
                .chain(key -> uploads.claimNonce(uploadId, partNumber).onFailure().invoke(key::close).chain(nonce -> {
                    FrameEncryptor encryptor;
                    byte[] tag = null;
                    try (key) {
                        encryptor = new FrameEncryptor(key, id, nonce, plain.length());
                        if (open.envelope().version() >= 2) {
                            try (var macKey = dev.sseproxy.crypto.TableMac.key(key)) {
                                tag = dev.sseproxy.crypto.TableMac.partTag(macKey, nonce, plain.length());
                            }
                        }
                    }
                    final byte[] tableTag = tag;
                    EncryptingBody body = new EncryptingBody(plain.stream(), encryptor, true);
                    BackendCall call = BackendCall.of("PUT", open.upload().bucket(), open.upload().key())
                            .query("partNumber", Integer.toString(partNumber)).query("uploadId", uploadId);
                    return MultipartOperations.uploadErrors(sse.store.exchange(call.withBody(
                            BackendCall.Body.of(body, FrameFormat.ciphertextLength(plain.length())))), uploadId)
                            .chain(reply -> {
                                String backendEtag = EncryptedWrites.unquote(reply.headers().get("etag"));
                                String etag = open.md5Etags() ? body.plaintextMd5() : backendEtag;
                                Optional<Envelope.Checksum> cks = plain.checksum().get();
                                var attempt = new MultipartUploads.PartAttempt(partNumber, nonce, plain.length(), etag,
                                        backendEtag, cks.map(c -> c.algorithm() + ":" + c.value()), tableTag);
                                return uploads.recordPart(uploadId, attempt).map(v -> new PartResult(
                                        Ops.quoteEtag(etag), headers(open, customer), cks));
                            });
                }));
    }

    /** The backend's current parts of an upload: part number to backend ETag (unquoted). */
    Uni<Map<Integer, String>> backendParts(String bucket, String key, String uploadId) {
        return backendParts(bucket, key, uploadId, 0, new HashMap<>());
    }

    private Uni<Map<Integer, String>> backendParts(String bucket, String key, String uploadId, int marker,
            Map<Integer, String> acc) {
        BackendCall call = BackendCall.of("GET", bucket, key).query("uploadId", uploadId).query("max-parts", "1000")
                .query("part-number-marker", Integer.toString(marker));
        return MultipartOperations.uploadErrors(sse.store.exchange(call), uploadId).chain(reply -> {
            BackendXml.ListPartsResult r = CopyOperations.read(reply.body().getBytes(), BackendXml.ListPartsResult.class);
            int last = marker;
            for (BackendXml.Part p : r.parts) {
                acc.put(p.partNumber, EncryptedWrites.unquote(p.etag));
                last = Math.max(last, p.partNumber);
            }
            return r.truncated && last > marker ? backendParts(bucket, key, uploadId, last, acc)
                    : Uni.createFrom().item(acc);
        });
    }

    /** The attempt the backend kept for each requested part, in request order; InvalidPart otherwise. */
    static List<MultipartUploads.PartAttempt> chosen(List<Integer> numbers, List<String> etags,
            List<MultipartUploads.PartAttempt> attempts, Map<Integer, String> backend) {
        List<MultipartUploads.PartAttempt> out = new ArrayList<>();
        for (int i = 0; i < numbers.size(); i++) {
            int n = numbers.get(i);
            String etag = EncryptedWrites.unquote(etags.get(i));
            String kept = backend.get(n);
            MultipartUploads.PartAttempt match = null;
            for (MultipartUploads.PartAttempt a : attempts) {
                if (a.partNumber() == n && a.backendEtag().equals(kept)) {
                    match = a;
                }
            }
            if (match == null || !match.etag().equals(etag)) {
                throw S3Exception.of(S3ErrorCode.INVALID_PART);
            }
            out.add(match);
        }
        return out;
    }

    /** The multipart ETag: MD5 of the binary part ETags, then "-" and the part count (spec §6). */
    static String multipartEtag(List<MultipartUploads.PartAttempt> parts) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            for (MultipartUploads.PartAttempt p : parts) {
                md5.update(HexFormat.of().parseHex(p.etag()));
            }
            return HexFormat.of().formatHex(md5.digest()) + "-" + parts.size();
        } catch (NoSuchAlgorithmException | IllegalArgumentException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The composite checksum of the parts (checksum of the binary part checksums, "-N"), when every part has one. */
    static Optional<Envelope.Checksum> compositeChecksum(Optional<String> algorithm,
            List<MultipartUploads.PartAttempt> parts) {
        if (algorithm.isEmpty()) {
            return Optional.empty();
        }
        Optional<ChecksumAlgorithm> alg = ChecksumAlgorithm.fromName(algorithm.get());
        if (alg.isEmpty()) {
            return Optional.empty();
        }
        RunningChecksum running = alg.get().newChecksum();
        for (MultipartUploads.PartAttempt p : parts) {
            String prefix = algorithm.get().toUpperCase(java.util.Locale.ROOT) + ":";
            if (p.checksum().isEmpty() || !p.checksum().get().startsWith(prefix)) {
                return Optional.empty();
            }
            byte[] raw = Base64.getDecoder().decode(p.checksum().get().substring(prefix.length()));
            running.update(raw, 0, raw.length);
        }
        return Optional.of(new Envelope.Checksum(algorithm.get().toUpperCase(java.util.Locale.ROOT),
                Base64.getEncoder().encodeToString(running.digest()) + "-" + parts.size()));
    }

    /** The completed object's envelope (same version as the upload's; from version 2 with its table MAC). */
    static Envelope complete(Open open, List<MultipartUploads.PartAttempt> parts, Optional<Envelope.Checksum> checksum) {
        List<PartTable.Part> table = new ArrayList<>();
        for (MultipartUploads.PartAttempt p : parts) {
            table.add(new PartTable.Part(p.nonceNumber(), p.plaintextSize()));
        }
        PartTable partTable = new PartTable(table);
        Envelope.Builder b = open.envelope().toBuilder().partTable(partTable)
                .plaintextEtag(multipartEtag(parts)).checksum(checksum.orElse(null));
        if (open.envelope().version() >= 2) {
            // the tags were computed at UploadPart, under the upload's key (crypto: TableMac)
            List<byte[]> tags = new ArrayList<>();
            for (MultipartUploads.PartAttempt p : parts) {
                if (p.tableTag() == null) {
                    throw new IllegalStateException("part " + p.partNumber() + " of upload " + open.upload().uploadId()
                            + " has no table tag");
                }
                tags.add(p.tableTag());
            }
            b.tableMac(dev.sseproxy.crypto.TableMac.combine(partTable.plaintextLength(), tags));
        }
        return b.build();
    }
}
