package dev.sseproxy.authz;

/** Who sends a request: an account (acting as its root) or, for an unsigned request, anonymous. */
public record Principal(String accountId) {
    private static final Principal ANONYMOUS = new Principal(null);

    /** S3's canonical id of the anonymous user, the owner of objects anonymous writers create. */
    public static final String ANONYMOUS_CANONICAL_ID = "65a011a29cdf8ec533ec3d1ccaae921c";

    public static Principal anonymous() {
        return ANONYMOUS;
    }

    public static Principal account(String accountId) {
        if (accountId == null) {
            throw new IllegalArgumentException("an account principal needs an account id");
        }
        return new Principal(accountId);
    }

    public boolean isAnonymous() {
        return accountId == null;
    }

    /** The canonical id that owns what this principal writes (the anonymous id for anonymous). */
    public String canonicalId() {
        return accountId == null ? ANONYMOUS_CANONICAL_ID : accountId;
    }
}
