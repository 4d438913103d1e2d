package dev.sseproxy.catalog;

/** Failures of the catalog that a client can cause. */
public sealed class CatalogException extends RuntimeException
        permits CatalogException.BucketTaken, CatalogException.BucketOwnedByYou, CatalogException.NotFound {

    CatalogException(String message) {
        super(message, null, false, false);
    }

    /** Another account owns the bucket name. */
    public static final class BucketTaken extends CatalogException {
        public BucketTaken(String bucket) {
            super(bucket);
        }
    }

    /** The requester already owns the bucket. */
    public static final class BucketOwnedByYou extends CatalogException {
        public BucketOwnedByYou(String bucket) {
            super(bucket);
        }
    }

    /** An account or key named by an admin request does not exist. */
    public static final class NotFound extends CatalogException {
        public NotFound(String what) {
            super(what);
        }
    }
}
