package dev.sseproxy.sse;

import dev.sseproxy.crypto.SseMode;
import dev.sseproxy.authz.Principal;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Object writes that the proxy makes on its own behalf, without a client request: S3 Batch
 * Operations tasks (a copy onto itself that re-encrypts, a tagging replacement) and service-written
 * objects (S3 Inventory reports, Batch Operations manifests and completion reports). Implemented
 * in {@code dev.sseproxy.api} (the one package that may hold the write pipeline), so that these
 * writes take exactly the path a client's CopyObject / PutObject / PutObjectTagging takes:
 * <ul>
 *   <li>the same authorization (bucket policy, identity policies, Block Public Access, KMS key
 *       authorization for the acting principal);</li>
 *   <li>the same encryption pipeline and envelope (nothing in clear at rest), the same KMS client,
 *       so KMS calls take permits from the KMS rate limiter like any request's;</li>
 *   <li>a CloudTrail data event for each call (eventName {@code CopyObject}, {@code PutObject},
 *       {@code PutObjectTagging}, with {@code SSEApplied}, the acting identity and
 *       {@code invokedBy}), exactly as the request listeners record client requests.</li>
 * </ul>
 * Failures are {@link dev.sseproxy.error.S3Exception}s with the code and message S3 would send the
 * same request (AccessDenied, NoSuchKey, PreconditionFailed, KMS errors, ...), so that a caller can
 * put them in a completion report as they are.
 */
public interface InternalWrites {

    /**
     * Who acts. For a batch job: the job's principal (with its identity policies at run time) and
     * {@code invokedBy = "batchoperations.s3.amazonaws.com"}. For a service write (inventory report):
     * {@link Principal} of the destination bucket's owner is NOT used; see {@link #putServiceObject}.
     *
     * @param identityPolicies the principal's identity policies as JSON documents (empty for a root)
     * @param userAgent        recorded in CloudTrail (e.g. {@code sse-proxy-batch/<job id>})
     */
    record Actor(Principal principal, List<String> identityPolicies, String invokedBy, String userAgent) {
    }

    /**
     * The encryption a re-encrypting copy asks for: as the headers of a CopyObject would
     * ({@code x-amz-server-side-encryption}, {@code ...-aws-kms-key-id}, {@code ...-bucket-key-enabled}).
     * Empty {@code mode}: the destination bucket's default encryption, as S3 does for a copy without
     * SSE headers.
     */
    record Encryption(Optional<SseMode> mode, Optional<String> kmsKeyId, Optional<Boolean> bucketKey) {
        public static Encryption bucketDefault() {
            return new Encryption(Optional.empty(), Optional.empty(), Optional.empty());
        }
    }

    /**
     * A copy of {@code bucket/key} onto itself (S3 Batch Operations' {@code S3PutObjectCopy} with the
     * object as its own target), metadata, content headers and tags kept, under {@code encryption}.
     * <ul>
     *   <li>{@code expectedEtag} (unquoted client ETag, null: any) is compared with the object read:
     *       412 PreconditionFailed if it differs;</li>
     *   <li>the write is conditional on the backend ETag of the version read ({@code If-Match} at the
     *       backend): an object a client replaced between the read and the write is never
     *       overwritten (412 PreconditionFailed), and a copy never leaves a half-written object;</li>
     *   <li>requires {@code s3:GetObject} and {@code s3:PutObject} for the actor, and the KMS rights
     *       a client's copy would need.</li>
     * </ul>
     */
    Uni<Copied> copyInPlace(Actor actor, String bucket, String key, String expectedEtag, Encryption encryption);

    /** What a copy produced: the new client ETag (unquoted) and backend ETag, and the encryption applied. */
    record Copied(String etag, String backendEtag, SseHeaders sse) {
    }

    /** Replaces the tag set of {@code bucket/key} (S3ReplaceObjectTagging): as PutObjectTagging by {@code actor}. */
    Uni<Void> replaceTagging(Actor actor, String bucket, String key, List<Map.Entry<String, String>> tags);

    /**
     * Writes an object as an AWS service principal would ({@code s3.amazonaws.com} delivering an
     * inventory report or a batch completion report): allowed only when the destination bucket's
     * policy grants {@code s3:PutObject} to {@code {"Service": "s3.amazonaws.com"}} (with its
     * {@code aws:SourceAccount} / {@code aws:SourceArn} conditions evaluated against
     * {@code sourceAccount} / {@code sourceArn}), or when the destination is owned by
     * {@code sourceAccount} and {@code ownerMayWrite} (batch completion reports, which S3 writes with
     * the job's role). Encrypted under the destination's default encryption, or under
     * {@code encryption} when given (an inventory configuration's SSE-S3 / SSE-KMS destination
     * encryption). The body is small (a manifest, a gzip data file of bounded size) and held in memory.
     */
    Uni<Copied> putServiceObject(String service, String sourceAccount, String sourceArn, boolean ownerMayWrite,
            String bucket, String key, byte[] body, String contentType, Encryption encryption);
}
