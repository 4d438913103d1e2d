package dev.sseproxy.authz;

/**
 * Whom a grant names: a canonical user (here: an account id) or one of S3's predefined groups
 * (by URI). Grants by e-mail address are not supported (S3 has retired them in most Regions).
 */
public record Grantee(Type type, String id) {
    public static final String ALL_USERS_URI = "http://acs.amazonaws.com/groups/global/AllUsers";
    public static final String AUTHENTICATED_USERS_URI = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
    public static final String LOG_DELIVERY_URI = "http://acs.amazonaws.com/groups/s3/LogDelivery";
    public static final Grantee ALL_USERS = new Grantee(Type.GROUP, ALL_USERS_URI);
    public static final Grantee AUTHENTICATED_USERS = new Grantee(Type.GROUP, AUTHENTICATED_USERS_URI);
    public static final Grantee LOG_DELIVERY = new Grantee(Type.GROUP, LOG_DELIVERY_URI);

    /** The two kinds of grantee, with the {@code xsi:type} S3 writes for them. */
    public enum Type {
        CANONICAL_USER("CanonicalUser"), GROUP("Group");

        private final String xsiType;

        Type(String xsiType) {
            this.xsiType = xsiType;
        }

        public String xsiType() {
            return xsiType;
        }
    }

    public static Grantee user(String canonicalId) {
        return new Grantee(Type.CANONICAL_USER, canonicalId);
    }

    /** A group grantee by URI; null when S3 knows no such group. */
    public static Grantee group(String uri) {
        return switch (uri) {
            case ALL_USERS_URI -> ALL_USERS;
            case AUTHENTICATED_USERS_URI -> AUTHENTICATED_USERS;
            case LOG_DELIVERY_URI -> LOG_DELIVERY;
            default -> null;
        };
    }

    /** Whether this grantee names {@code p}. */
    public boolean matches(Principal p) {
        if (type == Type.CANONICAL_USER) {
            return !p.isAnonymous() && id.equals(p.accountId());
        }
        return ALL_USERS_URI.equals(id) || (AUTHENTICATED_USERS_URI.equals(id) && p.accountId() != null);
    }

    /** Whether this grantee is a public group (everyone, or every account). */
    public boolean isPublic() {
        return type == Type.GROUP && (ALL_USERS_URI.equals(id) || AUTHENTICATED_USERS_URI.equals(id));
    }
}
