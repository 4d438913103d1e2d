package dev.sseproxy.authz;

import java.util.List;

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
}
