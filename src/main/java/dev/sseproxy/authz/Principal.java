package dev.sseproxy.authz;

/**
 * Who sends a request: an account's root (its root access keys), an IAM user of an account, for an
 * unsigned request, anonymous, or an AWS service principal ({@code s3.amazonaws.com} delivering an
 * inventory report): a write the proxy makes on a service's behalf, never a client request.
 *
 * @param accountId the account (null: anonymous or a service)
 * @param userName  the IAM user's name; null for the account root and for anonymous
 * @param userPath  the IAM user's path ({@code /} unless set); null when {@code userName} is
 * @param service   the service principal's name ({@code s3.amazonaws.com}); null for every other principal
 */
public record Principal(String accountId, String userName, String userPath, String service) {
    private static final Principal ANONYMOUS = new Principal(null, null, null);

    /** A root, a user or anonymous (not a service). */
    public Principal(String accountId, String userName, String userPath) {
        this(accountId, userName, userPath, null);
    }

    /**
     * An AWS service principal, as a bucket policy names it ({@code "Principal": {"Service":
     * "s3.amazonaws.com"}}): it has no account and no identity policies; only a resource policy that
     * names it (or everyone) allows it anything.
     */
    public static Principal service(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a service principal needs a name");
        }
        return new Principal(null, null, null, name);
    }

    /** An AWS service principal. */
    public boolean isService() {
        return service != null;
    }

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
        return accountId == null && service == null;
    }

    /** The account root (not a user, not anonymous): full rights in its own account, bar explicit denies. */
    public boolean isRoot() {
        return accountId != null && userName == null;
    }

    /**
     * The principal's ARN ({@code aws:PrincipalArn}): {@code arn:aws:iam::<account>:root} for a root,
     * {@code arn:aws:iam::<account>:user<path><name>} for a user; null for anonymous and for a service.
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
