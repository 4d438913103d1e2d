package dev.sseproxy.catalog;

import dev.sseproxy.authz.PublicAccessBlock;

/**
 * How a {@link PublicAccessBlock} is stored: four characters {@code T}/{@code F} in the order
 * BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets (migration V17).
 */
public final class PublicAccessBlocks {
    private PublicAccessBlocks() {
    }

    public static String encode(PublicAccessBlock p) {
        if (p == null) {
            return null;
        }
        return new String(new char[] {c(p.blockPublicAcls()), c(p.ignorePublicAcls()), c(p.blockPublicPolicy()),
            c(p.restrictPublicBuckets())});
    }

    /** The stored form read back; null or anything unreadable is null (no configuration). */
    public static PublicAccessBlock decode(String s) {
        if (s == null || s.length() != 4) {
            return null;
        }
        return new PublicAccessBlock(s.charAt(0) == 'T', s.charAt(1) == 'T', s.charAt(2) == 'T', s.charAt(3) == 'T');
    }

    private static char c(boolean b) {
        return b ? 'T' : 'F';
    }
}
