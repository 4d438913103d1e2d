package dev.sseproxy.api;

import dev.sseproxy.api.Dispatcher.Route;
import dev.sseproxy.api.Dispatcher.RoutedOperation;
import dev.sseproxy.api.Dispatcher.Scope;
import dev.sseproxy.api.xml.Documents;
import dev.sseproxy.api.xml.SubresourceDocuments;
import dev.sseproxy.api.xml.S3Xml;
import dev.sseproxy.authz.AccessControlList;
import dev.sseproxy.authz.ObjectOwnership;
import dev.sseproxy.backend.BackendException;
import dev.sseproxy.backend.ObjectStore;
import dev.sseproxy.catalog.BucketCatalog;
import dev.sseproxy.config.SseProxyConfig;
import dev.sseproxy.config.S3Config;
import dev.sseproxy.error.S3ErrorCode;
import dev.sseproxy.error.S3Exception;
import dev.sseproxy.sse.BucketEncryptionStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Bucket lifecycle: ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation.
 * CreateBucket with {@code x-amz-bucket-object-lock-enabled: true} creates the backend bucket with MinIO's
 * Object Lock (and so versioning) on ({@link ObjectLocks}). CreateBucket registers the name in the catalog, then creates it at the backend; a name the backend
 * already holds is 409 BucketAlreadyExists (the catalog entry is undone), so objects stored there
 * before are never handed to a tenant by accident (adoption is root's, see {@code AdminRoutes}).
 */
final class BucketOperations {
    private BucketOperations() {
    }

    @ApplicationScoped
    static class ListBuckets implements RoutedOperation {
        private final BucketCatalog buckets;
        private final Authorization authorization;

        ListBuckets(BucketCatalog buckets, Authorization authorization) {
            this.buckets = buckets;
            this.authorization = authorization;
        }

        public String name() {
            return "ListBuckets";
        }

        public List<Route> routes() {
            return List.of(new Route(Scope.SERVICE, "GET", ""));
        }

        public boolean needsOwnedBucket() {
            return false;
        }

        public Uni<Void> handle(S3Exchange ex) {
            String prefix = ex.queryParam("prefix");
            return authorization.requireIdentity(ex, "s3:ListAllMyBuckets", "arn:aws:s3:::*", null)
                    .chain(() -> buckets.ownedBy(ex.principal().accountId())).chain(list -> {
                Documents.ListAllMyBucketsResultXml r = new Documents.ListAllMyBucketsResultXml();
                r.owner = Ops.owner(ex.principal().accountId());
                r.prefix = prefix;
                list.stream().filter(b -> prefix == null || b.name().startsWith(prefix)).forEach(b -> {
                    Documents.BucketXml x = new Documents.BucketXml();
                    x.name = b.name();
                    x.creationDate = Ops.iso(b.createdAt());
                    x.bucketRegion = b.region();
                    r.buckets.add(x);
                });
                return Responses.xml(ex, 200, r);
            });
        }
    }

    @ApplicationScoped
    static class CreateBucket implements RoutedOperation {
        private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
        private static final Pattern IP = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");
        private final BucketCatalog buckets;
        private final ObjectStore store;
        private final String region;
        private final S3Config.Era era;

        private final dev.sseproxy.catalog.AccountPublicAccessBlocks accountBlocks;

        private final Authorization authorization;

        CreateBucket(BucketCatalog buckets, ObjectStore store, SseProxyConfig config,
                dev.sseproxy.catalog.AccountPublicAccessBlocks accountBlocks, Authorization authorization) {
            this.accountBlocks = accountBlocks;
            this.authorization = authorization;
            this.buckets = buckets;
            this.store = store;
            this.region = config.region();
            this.era = config.s3().era();
        }

        public String name() {
            return "CreateBucket";
        }

        public List<Route> routes() {
            return List.of(new Route(Scope.BUCKET, "PUT", ""));
        }

        public boolean needsOwnedBucket() {
            return false;
        }

        /**
         * CreateBucket's permissions for an IAM user, as S3 lists them: {@code s3:CreateBucket}, and for the
         * settings the request makes at once {@code s3:PutBucketAcl}, {@code s3:PutBucketOwnershipControls},
         * {@code s3:PutBucketObjectLockConfiguration} with {@code s3:PutBucketVersioning}.
         */
        private Uni<Void> identityAllows(S3Exchange ex, boolean objectLock, boolean acl, boolean ownership) {
            String arn = dev.sseproxy.authz.AuthzRequest.bucketArn(ex.bucket());
            List<String> actions = new java.util.ArrayList<>(List.of("s3:CreateBucket"));
            if (acl) {
                actions.add("s3:PutBucketAcl");
            }
            if (ownership) {
                actions.add("s3:PutBucketOwnershipControls");
            }
            if (objectLock) {
                actions.add("s3:PutBucketObjectLockConfiguration");
                actions.add("s3:PutBucketVersioning");
            }
            Uni<Void> all = Uni.createFrom().voidItem();
            for (String a : actions) {
                all = all.chain(() -> authorization.requireIdentity(ex, a, arn, ex.bucket()));
            }
            return all;
        }

        public Uni<Void> handle(S3Exchange ex) {
            checkName(ex.bucket());
            ObjectHeaders.checkWriteHeaders(ex.request().headers());
            // Object Lock: MinIO's own, on a bucket created with it (versioning on); see ObjectLocks
            boolean objectLock = "true".equalsIgnoreCase(ex.header("x-amz-bucket-object-lock-enabled"));
            String owner = ex.principal().accountId();
            ObjectOwnership ownership = ownership(ex.header("x-amz-object-ownership"));
            AccessControlList acl = AclRequests.fromHeaders(ex::header).map(a -> a.resolve(owner, owner)).orElse(null);
            if (ownership != null && !ownership.aclsEnabled() && acl != null && !acl.onlyOwnerFullControl(owner)) {
                throw S3Exception.of(S3ErrorCode.INVALID_BUCKET_ACL_WITH_OBJECT_OWNERSHIP);
            }
            AccessControlList stored = acl == null || acl.equals(AccessControlList.ownerFullControl(owner))
                    || (ownership != null && !ownership.aclsEnabled()) ? null : acl;
            // Block Public Access: the account's BlockPublicAcls refuses a public ACL; from era 2023 on a new
            // bucket gets all four flags itself, so a public ACL could not take effect either
            dev.sseproxy.authz.PublicAccessBlock newBlock = era == S3Config.Era.PRE_2023 ? null
                    : dev.sseproxy.authz.PublicAccessBlock.ALL;
            return identityAllows(ex, objectLock, AclRequests.fromHeaders(ex::header).isPresent(),
                    ex.header("x-amz-object-ownership") != null).chain(() -> accountBlocks.find(owner)).invoke(account -> {
                boolean blocks = account.map(dev.sseproxy.authz.PublicAccessBlock::blockPublicAcls).orElse(false)
                        || (newBlock != null && newBlock.blockPublicAcls());
                if (blocks && stored != null && stored.grantsPublicAccess()) {
                    throw S3Exception.accessDenied();
                }
            }).chain(() -> SmallBody.read(ex)).chain(body -> {
                checkLocation(body);
                return buckets.create(ex.bucket(), owner, region, ownership, stored, newBlock);
            }).chain(b -> (objectLock ? store.exchange(dev.sseproxy.backend.BackendCall.of("PUT", ex.bucket(), null)
                            .header("x-amz-bucket-object-lock-enabled", "true")).replaceWithVoid()
                            : store.createBucket(ex.bucket()))
                    .onFailure(BackendException.Rejected.class).recoverWithUni(err -> {
                        String code = ((BackendException.Rejected) err).code();
                        // a bucket the backend holds but the catalog does not (created at MinIO, or
                        // by another installation) is never handed to whoever names it first: only
                        // root's explicit adoption (POST /admin/buckets/{name}/adopt) does that
                        Throwable answer = "BucketAlreadyOwnedByYou".equals(code) || "BucketAlreadyExists".equals(code)
                                ? S3Exception.of(S3ErrorCode.BUCKET_ALREADY_EXISTS)
                                : err;
                        return buckets.delete(ex.bucket()).chain(() -> Uni.createFrom().failure(answer));
                    }))
                    // MinIO versions every Object Lock bucket: GetBucketVersioning says so from the start
                    .call(r -> objectLock ? buckets.updateVersioning(ex.bucket(), "Enabled") : Uni.createFrom().voidItem())
                    .chain(r -> {
                        ex.response().putHeader("Location", "/" + ex.bucket());
                        return Responses.empty(ex, 200);
                    });
        }

        /**
         * The new bucket's ownership controls: the header's, else the era's default: none (ObjectWriter,
         * ACLs enabled) before April 2023, BucketOwnerEnforced (ACLs disabled) since.
         */
        private ObjectOwnership ownership(String header) {
            if (header != null) {
                return ObjectOwnership.parse(header.trim()).orElseThrow(() -> S3Exception.invalidArgument(
                        "Invalid x-amz-object-ownership header: " + header, "x-amz-object-ownership", header));
            }
            return era == S3Config.Era.PRE_2023 ? null : ObjectOwnership.BUCKET_OWNER_ENFORCED;
        }

        static void checkName(String name) {
            boolean ok = NAME.matcher(name).matches() && !name.contains("..") && !IP.matcher(name).matches()
                    && !name.startsWith("xn--") && !name.startsWith("sthree-") && !name.startsWith("amzn-s3-demo-")
                    && !name.endsWith("-s3alias") && !name.endsWith("--ol-s3") && !name.endsWith(".mrap")
                    && !name.endsWith("--x-s3") && !name.endsWith("--table-s3") && !name.contains(".-")
                    && !name.contains("-.");
            if (!ok) {
                throw S3Exception.invalidBucketName(name);
            }
        }

        private void checkLocation(byte[] body) {
            String lc = null;
            if (body.length > 0) {
                lc = S3Xml.read(body, Documents.CreateBucketConfigurationXml.class).locationConstraint;
            }
            if (lc == null || lc.isEmpty()) {
                if (!"us-east-1".equals(region)) {
                    throw S3Exception.of(S3ErrorCode.ILLEGAL_LOCATION_CONSTRAINT);
                }
                return;
            }
            if (lc.equals(region)) {
                // AWS rejects an explicit us-east-1, but the MinIO client sends it: accept the own region
                return;
            }
            if (!lc.matches("[a-z]{2}(-[a-z]+)+-\\d+|EU")) {
                throw S3Exception.of(S3ErrorCode.INVALID_LOCATION_CONSTRAINT).withDetail("LocationConstraint", lc);
            }
            throw S3Exception.of(S3ErrorCode.ILLEGAL_LOCATION_CONSTRAINT, "The " + lc
                    + " location constraint is incompatible for the region specific endpoint this request was sent to.");
        }
    }

    @ApplicationScoped
    static class HeadBucket implements RoutedOperation {
        public String name() {
            return "HeadBucket";
        }

        public List<Route> routes() {
            return List.of(new Route(Scope.BUCKET, "HEAD", ""));
        }

        public Uni<Void> handle(S3Exchange ex) {
            ex.response().putHeader("x-amz-bucket-region", ex.bucketRecord().region());
            return Responses.empty(ex, 200);
        }
    }

    /** Deletes the bucket; its default encryption goes with it (the row cascades), so a re-created one starts fresh. */
    @ApplicationScoped
    static class DeleteBucket implements RoutedOperation {
        private final BucketCatalog buckets;
        private final ObjectStore store;
        private final BucketEncryptionStore encryption;

        DeleteBucket(BucketCatalog buckets, ObjectStore store, BucketEncryptionStore encryption) {
            this.buckets = buckets;
            this.store = store;
            this.encryption = encryption;
        }

        public String name() {
            return "DeleteBucket";
        }

        public List<Route> routes() {
            return List.of(new Route(Scope.BUCKET, "DELETE", ""));
        }

        public Uni<Void> handle(S3Exchange ex) {
            return store.deleteBucket(ex.bucket())
                    .onFailure(e -> e instanceof BackendException.Rejected r && "NoSuchBucket".equals(r.code()))
                    .recoverWithNull()
                    .chain(r -> buckets.delete(ex.bucket()))
                    .invoke(() -> encryption.forget(ex.bucket()))
                    .chain(() -> Responses.empty(ex, 204));
        }
    }

    @ApplicationScoped
    static class GetBucketLocation implements RoutedOperation {
        public String name() {
            return "GetBucketLocation";
        }

        public List<Route> routes() {
            return List.of(new Route(Scope.BUCKET, "GET", "location"));
        }

        public Uni<Void> handle(S3Exchange ex) {
            Documents.LocationConstraintXml x = new Documents.LocationConstraintXml();
            String r = ex.bucketRecord().region();
            x.value = "us-east-1".equals(r) ? null : r;
            return Responses.xml(ex, 200, x);
        }
    }
}
