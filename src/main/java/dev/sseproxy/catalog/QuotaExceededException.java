package dev.sseproxy.catalog;

/** A write would exceed one of IAM's quotas (an IAM user's access keys); the message is IAM's. */
public final class QuotaExceededException extends RuntimeException {
    private final String quota;
    private final int limit;

    public QuotaExceededException(String quota, int limit) {
        super("Cannot exceed quota for " + quota + ": " + limit, null, false, false);
        this.quota = quota;
        this.limit = limit;
    }

    public String quota() {
        return quota;
    }

    public int limit() {
        return limit;
    }
}
