package dev.sseproxy.authz;

import java.util.List;
import java.util.Locale;

/**
 * The condition keys a request sets, as policies' {@code Condition} blocks read them. Key names are
 * matched case-insensitively (as IAM does); values are returned as the request carries them. A key
 * the request does not set answers an empty list (so {@code Null: true} holds, {@code ...IfExists}
 * operators are true, and the other operators are as the package documentation says).
 * <p>The evaluator adds the keys it knows from the {@link Principal} itself ({@code aws:PrincipalAccount},
 * {@code aws:PrincipalArn}, {@code aws:PrincipalType}, {@code aws:userid}, {@code aws:username}); the caller
 * supplies the request's ({@code aws:CurrentTime} and {@code aws:EpochTime} included: the evaluator reads no clock).
 */
@FunctionalInterface
public interface ConditionContext {
    ConditionContext EMPTY = key -> List.of();

    /** The values of {@code key} (any case), or an empty list when the request does not set it. */
    List<String> values(String key);

    /**
     * {@code base} plus the keys {@code who} determines: {@code aws:PrincipalAccount} and
     * {@code aws:PrincipalArn} (not for anonymous), {@code aws:PrincipalType} ({@code Account} for a root,
     * {@code User}, {@code Anonymous}), {@code aws:username} (users), and {@code aws:userid} (a root's account
     * id, {@code anonymous}; for a user the caller's value, IAM's unique id, if it supplies one). The
     * principal's keys win over any the caller sets, so a request cannot claim another identity.
     */
    static ConditionContext withPrincipal(Principal who, ConditionContext base) {
        ConditionContext b = base == null ? EMPTY : base;
        return key -> {
            String k = key.toLowerCase(Locale.ROOT);
            switch (k) {
                case "aws:principalaccount" -> {
                    return who.accountId() == null ? List.of() : List.of(who.accountId());
                }
                case "aws:principalarn" -> {
                    return who.accountId() == null ? List.of() : List.of(who.arn());
                }
                case "aws:principaltype" -> {
                    if (who.isService()) {
                        return List.of("AWSService");
                    }
                    return List.of(who.isAnonymous() ? "Anonymous" : who.isRoot() ? "Account" : "User");
                }
                case "aws:principalservicename" -> {
                    return who.isService() ? List.of(who.service()) : List.of();
                }
                case "aws:principalisawsservice" -> {
                    return List.of(Boolean.toString(who.isService()));
                }
                case "aws:username" -> {
                    return who.userName() == null ? List.of() : List.of(who.userName());
                }
                case "aws:userid" -> {
                    if (who.isAnonymous()) {
                        return List.of("anonymous");
                    }
                    if (who.isService()) {
                        return List.of();
                    }
                    return who.isRoot() ? List.of(who.accountId()) : b.values(key);
                }
                default -> {
                    return b.values(key);
                }
            }
        };
    }
}
