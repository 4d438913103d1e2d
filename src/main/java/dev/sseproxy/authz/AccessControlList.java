package dev.sseproxy.authz;

import java.util.ArrayList;
import java.util.List;

/**
 * The grants of one bucket or object (its owner is stored beside it). Stored as text by
 * {@link #encode}: one grant per line, {@code U <canonical id> <PERMISSION>} or
 * {@code G <group URI> <PERMISSION>}; {@link #decode} reads it back.
 */
public record AccessControlList(List<Grant> grants) {
    /** At most this many grants, as S3 allows. */
    public static final int MAX_GRANTS = 100;

    public AccessControlList {
        grants = List.copyOf(grants);
        if (grants.size() > MAX_GRANTS) {
            throw new IllegalArgumentException("at most " + MAX_GRANTS + " grants");
        }
    }

    /** The default (and the {@code private} canned) ACL: the owner has full control. */
    public static AccessControlList ownerFullControl(String ownerId) {
        return new AccessControlList(List.of(new Grant(Grantee.user(ownerId), Permission.FULL_CONTROL)));
    }

    /**
     * Whether these grants give full control to {@code ownerId} and nothing to anyone else: the
     * only ACL a {@code BucketOwnerEnforced} bucket accepts.
     */
    public boolean onlyOwnerFullControl(String ownerId) {
        boolean owner = false;
        for (Grant g : grants) {
            if (!g.grantee().equals(Grantee.user(ownerId))) {
                return false;
            }
            owner |= g.permission() == Permission.FULL_CONTROL;
        }
        return owner;
    }

    /** Whether any grant names a public group (AllUsers or AuthenticatedUsers). */
    public boolean grantsPublicAccess() {
        return grants.stream().anyMatch(g -> g.grantee().isPublic());
    }

    public String encode() {
        StringBuilder b = new StringBuilder();
        for (Grant g : grants) {
            b.append(g.grantee().type() == Grantee.Type.CANONICAL_USER ? 'U' : 'G').append(' ')
                    .append(g.grantee().id()).append(' ').append(g.permission().name()).append('\n');
        }
        return b.toString();
    }

    /** Reads {@link #encode}'s form; an unreadable line is skipped (it grants nothing: fails closed). */
    public static AccessControlList decode(String text) {
        List<Grant> grants = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.split(" ");
            if (f.length != 3) {
                continue;
            }
            Permission p = Permission.parse(f[2]);
            Grantee g = "U".equals(f[0]) ? Grantee.user(f[1]) : "G".equals(f[0]) ? Grantee.group(f[1]) : null;
            if (p != null && g != null && grants.size() < MAX_GRANTS) {
                grants.add(new Grant(g, p));
            }
        }
        return new AccessControlList(grants);
    }
}
