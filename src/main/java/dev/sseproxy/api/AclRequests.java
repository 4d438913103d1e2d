package dev.sseproxy.api;

import dev.sseproxy.authz.AccessControlList;
import dev.sseproxy.authz.CannedAcl;
import dev.sseproxy.authz.Grant;
import dev.sseproxy.authz.Grantee;
import dev.sseproxy.authz.Permission;
import dev.sseproxy.error.S3Exception;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The ACL a request asks for in its headers: a canned {@code x-amz-acl}, or {@code x-amz-grant-*}
 * headers ({@code id="<account>"} and {@code uri="<group URI>"} grantees, comma separated), not both.
 */
record AclRequests(CannedAcl canned, List<Grant> grants) {
    private static final Map<String, Permission> GRANT_HEADERS = Map.of(
            "x-amz-grant-read", Permission.READ, "x-amz-grant-write", Permission.WRITE,
            "x-amz-grant-read-acp", Permission.READ_ACP, "x-amz-grant-write-acp", Permission.WRITE_ACP,
            "x-amz-grant-full-control", Permission.FULL_CONTROL);

    /** The ACL the headers ask for, if they ask for one. */
    static Optional<AclRequests> fromHeaders(Function<String, String> headers) {
        String acl = headers.apply("x-amz-acl");
        List<Grant> grants = new ArrayList<>();
        for (var h : GRANT_HEADERS.entrySet()) {
            String v = headers.apply(h.getKey());
            if (v != null) {
                for (Grantee g : grantees(h.getKey(), v)) {
                    grants.add(new Grant(g, h.getValue()));
                }
            }
        }
        if (acl != null && !grants.isEmpty()) {
            throw S3Exception.invalidRequest("Specifying both Canned ACLs and Header Grants is not allowed");
        }
        if (grants.size() > AccessControlList.MAX_GRANTS) {
            throw S3Exception.of(dev.sseproxy.error.S3ErrorCode.MALFORMED_XML);
        }
        if (acl != null) {
            CannedAcl c = CannedAcl.parse(acl.trim())
                    .orElseThrow(() -> S3Exception.invalidArgument("Invalid Argument", "x-amz-acl", acl));
            return Optional.of(new AclRequests(c, List.of()));
        }
        return grants.isEmpty() ? Optional.empty() : Optional.of(new AclRequests(null, grants));
    }

    /** A canned ACL by name (POST forms' {@code acl} field), as the header would give it. */
    static AclRequests canned(String name) {
        return new AclRequests(CannedAcl.parse(name)
                .orElseThrow(() -> S3Exception.invalidArgument("Invalid Argument", "acl", name)), List.of());
    }

    /** The grants for a resource owned by {@code ownerId} in a bucket owned by {@code bucketOwnerId}. */
    AccessControlList resolve(String ownerId, String bucketOwnerId) {
        return canned != null ? canned.expand(ownerId, bucketOwnerId) : new AccessControlList(grants);
    }

    private static List<Grantee> grantees(String header, String value) {
        List<Grantee> out = new ArrayList<>();
        for (String part : value.split(",")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            if (eq < 0) {
                throw S3Exception.invalidArgument("Invalid Argument", header, value);
            }
            String type = p.substring(0, eq).trim().toLowerCase(java.util.Locale.ROOT);
            String v = p.substring(eq + 1).trim();
            if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                v = v.substring(1, v.length() - 1);
            }
            out.add(grantee(type, v, header, value));
        }
        return out;
    }

    static Grantee grantee(String type, String v, String argName, String argValue) {
        switch (type) {
            case "id" -> {
                if (!validId(v)) {
                    throw S3Exception.invalidArgument("Invalid id", argName, argValue);
                }
                return Grantee.user(v);
            }
            case "uri" -> {
                Grantee g = Grantee.group(v);
                if (g == null) {
                    throw S3Exception.invalidArgument("Invalid group uri", argName, argValue);
                }
                return g;
            }
            case "emailaddress" -> throw S3Exception.notImplemented("Grants by e-mail address are not supported.");
            default -> throw S3Exception.invalidArgument("Invalid Argument", argName, argValue);
        }
    }

    /** A canonical user id: 1 to 64 letters and digits (account ids here are 12 digits). */
    static boolean validId(String v) {
        if (v == null || v.isEmpty() || v.length() > 64) {
            return false;
        }
        return v.chars().allMatch(Character::isLetterOrDigit);
    }
}
