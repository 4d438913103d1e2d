package dev.sseproxy.authz;

/**
 * Who sends a request: an account's root (its root access keys), an IAM user of an account, or, for an
 * unsigned request, anonymous.
 *
 * @param accountId the account (null: anonymous)
 * @param userName  the IAM user's name; null for the account root and for anonymous
 * @param userPath  the IAM user's path ({@code /} unless set); null when {@code userName} is
 */
public record Principal(String accountId, String userName, String userPath) {
    private static final Principal ANONYMOUS = new Principal(null, null, null);

    /** S3's canonical id of the anonymous user, the owner of objects anonymous writers create. */
    public static final String ANONYMOUS_CANONICAL_ID = "65a011a29cdf8ec533ec3d1ccaae921c";

    public static Principal anonymous() {
        return ANONYMOUS;
    }

    /** The root of an account. */
    public static Principal account(String accountId) {
        if (accountId == null) {
            throw new IllegalArgumentException("an account principal needs an account id");
        }
        return new Principal(accountId, null, null);
    }

    /** An IAM user of an account. */
    public static Principal user(String accountId, String userName, String userPath) {
        if (accountId == null || userName == null) {
            throw new IllegalArgumentException("a user principal needs an account id and a user name");
        }
        return new Principal(accountId, userName, userPath == null ? "/" : userPath);
    }

    public boolean isAnonymous() {
        return accountId == null;
    }

    /** The account root (not a user, not anonymous): full rights in its own account, bar explicit denies. */
    public boolean isRoot() {
        return accountId != null && userName == null;
    }

    /**
     * The principal's ARN ({@code aws:PrincipalArn}): {@code arn:aws:iam::<account>:root} for a root,
     * {@code arn:aws:iam::<account>:user<path><name>} for a user; null for anonymous.
     */
    public String arn() {
        if (accountId == null) {
            return null;
        }
        return userName == null ? "arn:aws:iam::" + accountId + ":root"
                : "arn:aws:iam::" + accountId + ":user" + userPath + userName;
    }

    /** The canonical id that owns what this principal writes (the account's; the anonymous id for anonymous). */
    public String canonicalId() {
        return accountId == null ? ANONYMOUS_CANONICAL_ID : accountId;
    }
}
