package dev.sseproxy.authz;

import java.util.List;
import java.util.Set;

/**
 * Whether a bucket policy is public, as S3's "The meaning of public" defines it (package documentation):
 * an {@code Allow} to everyone ({@code *} or through {@code NotPrincipal}) that no condition pins to fixed
 * values of a key that confines the caller or its source.
 */
final class PublicPolicies {
    /** Keys whose fixed values make a grant to everyone non-public (lower case). */
    static final Set<String> PINNING_KEYS = Set.of("aws:sourceip", "aws:sourcearn", "aws:sourcevpc", "aws:sourcevpce",
            "aws:sourceowner", "aws:sourceaccount", "aws:principalaccount", "aws:principalorgid", "aws:userid",
            "s3:dataaccesspointarn", "s3:dataaccesspointaccount", "s3:x-amz-server-side-encryption-aws-kms-key-id");

    private PublicPolicies() {
    }

    static boolean isPublic(List<Statement> statements) {
        for (Statement s : statements) {
            if (s.allow() && grantsEveryone(s) && !pinned(s)) {
                return true;
            }
        }
        return false;
    }

    private static boolean grantsEveryone(Statement s) {
        return s.notPrincipal() || (s.principals() != null && s.principals().everyone());
    }

    private static boolean pinned(Statement s) {
        for (Condition c : s.conditions()) {
            if (pins(c)) {
                return true;
            }
        }
        return false;
    }

    /** A condition every request without fixed values of a pinning key fails. */
    private static boolean pins(Condition c) {
        if (c.ifExists() || c.qualifier() == Condition.Qualifier.FOR_ALL_VALUES || !PINNING_KEYS.contains(c.keyLower())) {
            return false;
        }
        switch (c.op()) {
            case IP_ADDRESS -> {
                for (Object o : c.typed()) {
                    IpRange r = (IpRange) o;
                    if (r.prefix() < (r.isIpv4() ? 8 : 32)) {
                        return false;
                    }
                }
                return true;
            }
            case STRING_EQUALS, STRING_EQUALS_IGNORE_CASE, STRING_LIKE, ARN_EQUALS, ARN_LIKE -> {
                for (PolicyText t : c.texts()) {
                    String v = t.raw();
                    if (t.hasVariables() || v.isEmpty() || v.indexOf('*') >= 0 || v.indexOf('?') >= 0) {
                        return false;
                    }
                }
                return true;
            }
            default -> {
                return false;
            }
        }
    }
}
