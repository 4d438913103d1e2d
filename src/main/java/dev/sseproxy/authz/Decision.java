package dev.sseproxy.authz;

/**
 * The outcome of {@link AuthorizationDecisions#evaluate}: allowed or not, whether a deny was explicit (a
 * Deny statement applied) or implicit (nothing allowed), and why (logs, CloudTrail, tests).
 */
public record Decision(boolean allowed, boolean explicitDeny, String reason) {
    static Decision allow(String reason) {
        return new Decision(true, false, reason);
    }

    static Decision deny(String reason) {
        return new Decision(false, false, reason);
    }

    static Decision explicitlyDenied(String reason) {
        return new Decision(false, true, reason);
    }
}
