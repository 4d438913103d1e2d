package dev.sseproxy.authz;

/** The outcome of {@link AuthorizationDecisions#evaluate}: allowed or not, and why. */
public record Decision(boolean allowed, String reason) {
    static Decision allow(String reason) {
        return new Decision(true, reason);
    }

    static Decision deny(String reason) {
        return new Decision(false, reason);
    }
}
