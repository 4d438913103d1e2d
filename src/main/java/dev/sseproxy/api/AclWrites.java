package dev.sseproxy.api;

import dev.sseproxy.authz.AccessControlList;
import dev.sseproxy.authz.CannedAcl;
import dev.sseproxy.authz.ObjectOwnership;
import dev.sseproxy.authz.Principal;
import dev.sseproxy.catalog.Bucket;
import dev.sseproxy.catalog.ObjectAcls;
import dev.sseproxy.error.S3ErrorCode;
import dev.sseproxy.error.S3Exception;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * The owner and ACL a write gives its new object (PutObject, CopyObject, POST Object,
 * CreateMultipartUpload → CompleteMultipartUpload), from {@code x-amz-acl} / {@code x-amz-grant-*}
 * (or a POST form's {@code acl} field) and the bucket's object ownership:
 * <ol>
 *   <li>{@link #prepare} (before anything is stored): with {@code BucketOwnerEnforced} only no ACL
 *       or the owner's full control is accepted ({@code AccessControlListNotSupported} otherwise)
 *       and nothing is recorded; with ACLs enabled it works out the new owner and grants and, for a
 *       write that replaces an object, forgets the old object's record first, so a failed overwrite
 *       leaves the object private rather than public;</li>
 *   <li>{@link #stored} (after the object is stored, before the response): records the owner and
 *       ACL unless they are the default (the bucket owner's, private).</li>
 * </ol>
 * POST Object passes its form's {@code acl} field to {@link #prepare(S3Exchange, Principal, Optional, boolean, String)}
 * (through {@link AclRequests#canned}) and registers {@link #stored} as its exchange's
 * {@link S3Exchange#beforeSuccess} step, as the Dispatcher does for PutObject.
 */
@ApplicationScoped
public class AclWrites {
    /** The owner and grants a write will record; {@code record} false when they are the default. */
    record Pending(String ownerId, AccessControlList acl, boolean record) {
    }

    private final ObjectAcls objectAcls;

    public AclWrites(ObjectAcls objectAcls) {
        this.objectAcls = objectAcls;
    }

    /** {@link #prepare(S3Exchange, Principal, Optional, boolean, String)} with the request's own principal and headers. */
    Uni<Void> prepare(S3Exchange ex, boolean replacesObject) {
        return prepare(ex, Authorization.principal(ex), AclRequests.fromHeaders(ex::header), replacesObject, ex.key());
    }

    /** As above, for {@code writer} asking for {@code requested} on the object {@code key}. */
    Uni<Void> prepare(S3Exchange ex, Principal writer, Optional<AclRequests> requested, boolean replacesObject,
            String key) {
        Bucket b = ex.bucketRecord();
        ObjectOwnership ownership = b.effectiveOwnership();
        if (!ownership.aclsEnabled()) {
            if (requested.isPresent() && !requested.get().resolve(b.ownerId(), b.ownerId()).onlyOwnerFullControl(b.ownerId())) {
                throw S3Exception.of(S3ErrorCode.ACCESS_CONTROL_LIST_NOT_SUPPORTED);
            }
            ex.pendingAcl(null);
            return Uni.createFrom().voidItem();
        }
        if (requested.isPresent() && ex.publicAccessBlock().blockPublicAcls()
                && requested.get().resolve(b.ownerId(), b.ownerId()).grantsPublicAccess()) {
            // BlockPublicAcls: a write asking for a public ACL is refused
            throw S3Exception.accessDenied();
        }
        CannedAcl canned = requested.map(AclRequests::canned).orElse(null);
        String owner = ownership.newObjectOwner(writer, b.ownerId(), canned);
        AccessControlList acl = requested.map(r -> r.resolve(owner, b.ownerId()))
                .orElseGet(() -> AccessControlList.ownerFullControl(owner));
        boolean isDefault = owner.equals(b.ownerId()) && acl.equals(AccessControlList.ownerFullControl(owner));
        ex.pendingAcl(new Pending(owner, acl, !isDefault));
        return replacesObject ? objectAcls.delete(b.name(), key) : Uni.createFrom().voidItem();
    }

    /** Records the prepared owner and ACL of the object just stored under {@code key}. */
    Uni<Void> stored(S3Exchange ex, String key) {
        Pending p = ex.pendingAcl();
        if (p == null || !p.record()) {
            return Uni.createFrom().voidItem();
        }
        return objectAcls.put(ex.bucket(), key, new ObjectAcls.Entry(p.ownerId(), p.acl()));
    }

    /**
     * Keeps the prepared owner and ACL with a new multipart upload, for its completion (also the default
     * one, so that completing replaces whatever an earlier object under the key had).
     */
    Uni<Void> uploadCreated(S3Exchange ex, String uploadId) {
        Pending p = ex.pendingAcl();
        if (p == null) {
            return Uni.createFrom().voidItem();
        }
        return objectAcls.putForUpload(uploadId, new ObjectAcls.Entry(p.ownerId(), p.acl()));
    }

    /**
     * Gives a completed upload's object the owner and ACL its upload was created with. A retried
     * Complete (the first one took them) changes nothing.
     */
    Uni<Void> uploadCompleted(S3Exchange ex, String uploadId) {
        Bucket b = ex.bucketRecord();
        return objectAcls.takeForUpload(uploadId).chain(e -> {
            if (e.isEmpty() || !b.effectiveOwnership().aclsEnabled()) {
                return Uni.createFrom().voidItem();
            }
            boolean isDefault = e.get().ownerId().equals(b.ownerId())
                    && e.get().acl().equals(AccessControlList.ownerFullControl(b.ownerId()));
            return isDefault ? objectAcls.delete(b.name(), ex.key()) : objectAcls.put(b.name(), ex.key(), e.get());
        });
    }

    /** Forgets an aborted upload's owner and ACL. */
    Uni<Void> uploadAborted(String uploadId) {
        return uploadId == null ? Uni.createFrom().voidItem() : objectAcls.forgetUpload(uploadId);
    }

    /** Forgets a deleted object's owner and ACL. */
    Uni<Void> deleted(Bucket b, String key) {
        return b.effectiveOwnership().aclsEnabled() ? objectAcls.delete(b.name(), key) : Uni.createFrom().voidItem();
    }

    /**
     * Forgets the owners and ACLs of the objects a DeleteObjects deleted: every key the backend reports
     * deleted, whether or not the client asked for quiet mode (which hides them from the client only).
     */
    Uni<Void> deleted(Bucket b, java.util.List<String> keys) {
        return b.effectiveOwnership().aclsEnabled() ? objectAcls.delete(b.name(), keys) : Uni.createFrom().voidItem();
    }
}
