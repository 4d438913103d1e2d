package dev.sseproxy.api;

import dev.sseproxy.api.xml.MultipartDocuments;
import dev.sseproxy.catalog.MultipartUploads;
import dev.sseproxy.crypto.Envelope;
import dev.sseproxy.error.S3ErrorCode;
import dev.sseproxy.error.S3Exception;
import dev.sseproxy.sse.MultipartEncryption;
import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * CompleteMultipartUpload is idempotent, as on S3: SDKs retry it when the response is lost.
 *
 * <p>Completing an encrypted upload records the completion in the catalog
 * ({@link MultipartUploads#complete}: the SHA-256 of the part list, the object's ETag and composite
 * checksum), kept for {@link MultipartUploads#COMPLETED_RETENTION}. A later Complete of that upload
 * id with the same part list (part numbers and ETags, quotes ignored) answers 200 with the same body
 * and SSE headers; with another part list it answers {@code NoSuchUpload}, as S3 does for an upload
 * that is no longer open. UploadPart, UploadPartCopy and ListParts of a completed upload answer
 * {@code NoSuchUpload}.
 *
 * <p>Concurrent Completes of one upload: each builds the same envelope from the same catalog rows,
 * and the backend completes the upload once; every other one gets {@code NoSuchUpload} from the
 * backend and then waits (at most {@link #WAIT_STEPS} × {@link #WAIT_STEP}) for the winner to
 * record the completion, answering as above. Only the winner stamps the object's envelope, so a
 * losing request changes nothing.
 */
final class RepeatedCompletes {
    static final Duration WAIT_STEP = Duration.ofMillis(100);
    static final int WAIT_STEPS = 100;

    private RepeatedCompletes() {
    }

    /** The digest of a Complete's part list: SHA-256 over "number:etag\n" per part, ETags unquoted. */
    static String digest(List<Integer> numbers, List<String> etags) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (int i = 0; i < numbers.size(); i++) {
                sha.update((numbers.get(i) + ":" + dev.sseproxy.sse.Etags.unquote(etags.get(i).trim()) + "\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the catalog keeps of a completion. */
    static MultipartUploads.Completion completion(String digest, String etag, Optional<Envelope.Checksum> checksum) {
        return new MultipartUploads.Completion(digest, etag, checksum.map(Envelope.Checksum::algorithm),
                checksum.map(Envelope.Checksum::value));
    }

    /** The answer to a Complete of an upload that already completed. */
    static Uni<Void> replay(S3Exchange ex, MultipartEncryption.Stored s, String digest) {
        MultipartUploads.Completion c = s.completion().orElseThrow();
        if (!c.partsDigest().equals(digest)) {
            throw S3Exception.noSuchUpload(s.open().upload().uploadId());
        }
        Optional<Envelope.Checksum> checksum = c.checksumAlgorithm().isPresent() && c.checksumValue().isPresent()
                ? Optional.of(new Envelope.Checksum(c.checksumAlgorithm().get(), c.checksumValue().get()))
                : Optional.empty();
        return respond(ex, c.etag(), checksum, s.open().envelope());
    }

    static boolean isNoSuchUpload(Throwable t) {
        return t instanceof S3Exception e && e.code() == S3ErrorCode.NO_SUCH_UPLOAD;
    }

    /**
     * After the backend said NoSuchUpload to an open upload's Complete: another Complete may have
     * won. Waits for its record and answers as {@link #replay}; {@code original} when the upload
     * is gone (aborted) or still open after the wait.
     */
    static Uni<Void> afterNoSuchUpload(S3Exchange ex, MultipartEncryption parts, String uploadId, String digest,
            Throwable original) {
        return awaitCompletion(ex, parts, uploadId, WAIT_STEPS).chain(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().failure(original);
            }
            return replay(ex, found.get(), digest);
        });
    }

    private static Uni<Optional<MultipartEncryption.Stored>> awaitCompletion(S3Exchange ex, MultipartEncryption parts,
            String uploadId, int steps) {
        return parts.stored(ex.bucket(), ex.key(), uploadId).chain(found -> {
            if (found.isEmpty() || found.get().completion().isPresent()) {
                return Uni.createFrom().item(found);
            }
            if (steps <= 0) {
                return Uni.createFrom().item(Optional.<MultipartEncryption.Stored>empty());
            }
            return Uni.createFrom().voidItem().onItem().delayIt().by(WAIT_STEP)
                    .chain(v -> awaitCompletion(ex, parts, uploadId, steps - 1));
        });
    }

    /** The CompleteMultipartUploadResult of an encrypted upload, with its SSE headers (none for SSE-C, spec §3.6). */
    static Uni<Void> respond(S3Exchange ex, String etag, Optional<Envelope.Checksum> checksum, Envelope envelope) {
        MultipartDocuments.CompleteMultipartUploadResultXml x = new MultipartDocuments.CompleteMultipartUploadResultXml();
        x.location = "/" + ex.bucket() + "/" + ex.key();
        x.bucket = ex.bucket();
        x.key = ex.key();
        x.etag = Ops.quoteEtag(etag);
        checksum.ifPresent(c -> {
            switch (c.algorithm()) {
                case "CRC32" -> x.checksumCrc32 = c.value();
                case "CRC32C" -> x.checksumCrc32c = c.value();
                case "CRC64NVME" -> x.checksumCrc64nvme = c.value();
                case "SHA1" -> x.checksumSha1 = c.value();
                case "SHA256" -> x.checksumSha256 = c.value();
                default -> { }
            }
            x.checksumType = "COMPOSITE";
        });
        var headers = dev.sseproxy.sse.ObjectKeys.headersOf(envelope, Optional.empty());
        if (headers.mode() != dev.sseproxy.crypto.SseMode.SSE_C) {
            SseChecks.putSseHeaders(ex.response().headers(), headers);
        }
        return Responses.xml(ex, 200, x);
    }
}
