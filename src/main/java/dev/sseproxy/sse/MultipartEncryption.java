package dev.sseproxy.sse;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sseproxy.auth.ChecksumAlgorithm;
import dev.sseproxy.auth.RunningChecksum;
import dev.sseproxy.backend.BackendCall;
import dev.sseproxy.backend.BackendException;
import dev.sseproxy.backend.BackendXml;
import dev.sseproxy.backend.MinioXml;
import dev.sseproxy.backend.ObjectStore;
import dev.sseproxy.catalog.MultipartUploads;
import dev.sseproxy.crypto.Envelope;
import dev.sseproxy.crypto.FrameEncryptor;
import dev.sseproxy.crypto.FrameFormat;
import dev.sseproxy.crypto.ObjectIdentity;
import dev.sseproxy.crypto.PartTable;
import dev.sseproxy.crypto.SseMode;
import dev.sseproxy.error.S3ErrorCode;
import dev.sseproxy.error.S3Exception;
import dev.sseproxy.kms.registry.KeyRequester;
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
import java.util.function.Function;

/**
 * Encrypted multipart uploads: every part is encrypted under the upload's one object key, the
 * part's frames under the part number it was claimed with ({@link MultipartUploads}); completion
 * turns the parts the backend kept into the object's part table and envelope.
 */
@Singleton
public final class MultipartEncryption {
    public static final String INITIATE_REQUESTED = "The multipart upload initiate requested encryption. Subsequent part "
            + "requests must include the appropriate encryption parameters.";
    static final String NOT_MATCHING = "The provided encryption parameters did not match the ones used originally.";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MultipartUploads uploads;
    private final ObjectKeys keys;
    private final ObjectStore store;

    public MultipartEncryption(MultipartUploads uploads, ObjectKeys keys, ObjectStore store) {
        this.uploads = uploads;
        this.keys = keys;
        this.store = store;
    }

    /** An open encrypted upload with its provisional envelope. */
    public record Open(MultipartUploads.Upload upload, Envelope envelope) {
        public ObjectIdentity identity() {
            return new ObjectIdentity(upload.bucket(), upload.key());
        }

        public boolean md5Etags() {
            return envelope.sseMode() == SseMode.SSE_S3;
        }
    }

    /** What UploadPart / UploadPartCopy answer. */
    public record PartResult(String etag, SseHeaders sse, Optional<Envelope.Checksum> checksum) {
    }

    public static String json(Map<String, String> metadata) {
        try {
            return JSON.writeValueAsString(metadata);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A backend answer NoSuchUpload as S3's NoSuchUpload error of {@code uploadId}. */
    public static <T> Uni<T> uploadErrors(Uni<T> u, String uploadId) {
        return u.onFailure(BackendException.Rejected.class).transform(e -> {
            BackendException.Rejected r = (BackendException.Rejected) e;
            return "NoSuchUpload".equals(r.code()) ? S3Exception.noSuchUpload(uploadId) : r;
        });
    }

    /**
     * The open encrypted upload {@code uploadId} of {@code bucket/key}; empty for a plaintext (legacy)
     * upload; NoSuchUpload for another object's upload or a completed one.
     */
    public Uni<Optional<Open>> find(String bucket, String key, String uploadId) {
        return stored(bucket, key, uploadId).map(found -> found.map(s -> {
            if (s.completion().isPresent()) {
                throw S3Exception.noSuchUpload(uploadId);
            }
            return s.open();
        }));
    }

    /** An encrypted upload of an object, open or completed. */
    public record Stored(Open open, Optional<MultipartUploads.Completion> completion) {
    }

    /** The encrypted upload {@code uploadId} of {@code bucket/key}, open or completed; empty for a legacy upload. */
    public Uni<Optional<Stored>> stored(String bucket, String key, String uploadId) {
        return uploads.find(uploadId).map(found -> found.map(s -> {
            MultipartUploads.Upload u = s.upload();
            if (!u.bucket().equals(bucket) || !u.key().equals(key)) {
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
    public static void checkPartKey(Open open, Optional<CustomerKey> customer) {
        boolean sseC = open.envelope().sseMode() == SseMode.SSE_C;
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
    public Uni<Void> checkSseHeaders(Function<String, String> h, KeyRequester requester, Optional<Open> open) {
        boolean any = EncryptionPolicy.WRITE_ONLY.stream().anyMatch(n -> h.apply(n) != null);
        if (!any) {
            return Uni.createFrom().voidItem();
        }
        if (open.isEmpty() || !repeatsMode(h, open.get()) || !repeatsContext(h, open.get())
                || !repeatsBucketKey(h, open.get())) {
            rejectSseHeaders(h);
        }
        String k = h.apply(EncryptionPolicy.K);
        String arn = open.get().envelope().kmsKeyArn();
        if (k == null || k.trim().equals(arn)) {
            return Uni.createFrom().voidItem();
        }
        return keys.kmsKeyArn(k.trim(), requester)
                .onFailure(e -> e instanceof S3Exception || e instanceof dev.sseproxy.kms.registry.KeyRegistryException)
                .recoverWithItem(e -> "")
                .map(resolved -> {
                    if (!resolved.equals(arn)) {
                        rejectSseHeaders(h);
                    }
                    return null;
                });
    }

    /**
     * Refuses S / K / X / B on a multipart call that may not carry them (spec §3.5), with S3's
     * InvalidArgument naming {@code x-amz-server-side-encryption}.
     */
    public static void rejectSseHeaders(Function<String, String> h) {
        for (String name : EncryptionPolicy.WRITE_ONLY) {
            String v = h.apply(name);
            if (v != null) {
                throw S3Exception.invalidArgument("x-amz-server-side-encryption header is not supported for this operation.",
                        "x-amz-server-side-encryption", v);
            }
        }
    }

    private static boolean repeatsMode(Function<String, String> h, Open open) {
        String s = h.apply(EncryptionPolicy.S);
        var mode = open.envelope().sseMode();
        return s != null && (mode == SseMode.SSE_KMS || mode == SseMode.DSSE_KMS)
                && SseMode.fromHeader(s.trim()).map(m -> m == mode).orElse(false);
    }

    private static boolean repeatsContext(Function<String, String> h, Open open) {
        String x = h.apply(EncryptionPolicy.X);
        if (x == null) {
            return true;
        }
        Optional<Map<String, String>> part = context(x);
        Optional<Map<String, String>> upload = open.upload().contextHeader().map(MultipartEncryption::context)
                .orElse(Optional.of(Map.of()));
        return part.isPresent() && part.equals(upload);
    }

    private static boolean repeatsBucketKey(Function<String, String> h, Open open) {
        String b = h.apply(EncryptionPolicy.B);
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
    public static SseHeaders headers(Open open, Optional<CustomerKey> customer) {
        return ObjectKeys.headersOf(open.envelope(), customer);
    }

    /** Encrypts one part attempt and records it. */
    public Uni<PartResult> put(KeyRequester writer, Open open, int partNumber, Plaintext plain,
            Optional<CustomerKey> customer) {
        ObjectIdentity id = open.identity();
        String uploadId = open.upload().uploadId();
        return keys.forUpload(open.envelope(), id, customer, writer)
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
                    EncryptingBody body = new EncryptingBody(plain.stream(), encryptor, true, open.md5Etags());
                    BackendCall call = BackendCall.of("PUT", open.upload().bucket(), open.upload().key())
                            .query("partNumber", Integer.toString(partNumber)).query("uploadId", uploadId);
                    return uploadErrors(store.exchange(call.withBody(
                            BackendCall.Body.of(body, FrameFormat.ciphertextLength(plain.length())))), uploadId)
                            .chain(reply -> {
                                String backendEtag = Etags.unquote(reply.headers().get("etag"));
                                String etag = open.md5Etags() ? body.plaintextMd5() : backendEtag;
                                Optional<Envelope.Checksum> cks = plain.checksum().get();
                                var attempt = new MultipartUploads.PartAttempt(partNumber, nonce, plain.length(), etag,
                                        backendEtag, cks.map(c -> c.algorithm() + ":" + c.value()), tableTag);
                                return uploads.recordPart(uploadId, attempt).map(v -> new PartResult(
                                        Etags.quote(etag), headers(open, customer), cks));
                            });
                }));
    }

    /** The backend's current parts of an upload: part number to backend ETag (unquoted). */
    public Uni<Map<Integer, String>> backendParts(String bucket, String key, String uploadId) {
        return backendParts(bucket, key, uploadId, 0, new HashMap<>());
    }

    private Uni<Map<Integer, String>> backendParts(String bucket, String key, String uploadId, int marker,
            Map<Integer, String> acc) {
        BackendCall call = BackendCall.of("GET", bucket, key).query("uploadId", uploadId).query("max-parts", "1000")
                .query("part-number-marker", Integer.toString(marker));
        return uploadErrors(store.exchange(call), uploadId).chain(reply -> {
            BackendXml.ListPartsResult r = listParts(reply.body().getBytes());
            int last = marker;
            for (BackendXml.Part p : r.parts) {
                acc.put(p.partNumber, Etags.unquote(p.etag));
                last = Math.max(last, p.partNumber);
            }
            return r.truncated && last > marker ? backendParts(bucket, key, uploadId, last, acc)
                    : Uni.createFrom().item(acc);
        });
    }

    private static BackendXml.ListPartsResult listParts(byte[] xml) {
        try {
            return MinioXml.read(xml, BackendXml.ListPartsResult.class);
        } catch (IOException e) {
            throw S3Exception.of(S3ErrorCode.INTERNAL_ERROR);
        }
    }

    /** The attempt the backend kept for each requested part, in request order; InvalidPart otherwise. */
    public static List<MultipartUploads.PartAttempt> chosen(List<Integer> numbers, List<String> etags,
            List<MultipartUploads.PartAttempt> attempts, Map<Integer, String> backend) {
        List<MultipartUploads.PartAttempt> out = new ArrayList<>();
        for (int i = 0; i < numbers.size(); i++) {
            int n = numbers.get(i);
            String etag = Etags.unquote(etags.get(i));
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
    public static String multipartEtag(List<MultipartUploads.PartAttempt> parts) {
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
    public static Optional<Envelope.Checksum> compositeChecksum(Optional<String> algorithm,
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
    public static Envelope complete(Open open, List<MultipartUploads.PartAttempt> parts, Optional<Envelope.Checksum> checksum) {
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
