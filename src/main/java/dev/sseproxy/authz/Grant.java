package dev.sseproxy.authz;

/** One ACL entry: a grantee and the permission it is given. */
public record Grant(Grantee grantee, Permission permission) {
}
