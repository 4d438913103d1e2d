package dev.sseproxy.iam;

import dev.sseproxy.authz.ConditionContext;
import dev.sseproxy.authz.Policy;
import dev.sseproxy.catalog.Credential;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Who may call which IAM action (package documentation): an account's root may do everything in its
 * own account; an IAM user needs an identity policy whose Allow applies to {@code iam:<Action>} on the
 * resource's ARN, and none whose Deny does ({@link Policy#verdict}). Pure.
 */
public final class IamAuthorizer {
    private IamAuthorizer() {
    }

    /**
     * Allows {@code iam:<action>} on {@code resourceArn} (always in the caller's account) or fails with
     * IAM's AccessDenied.
     */
    public static void require(Credential caller, String action, String resourceArn, Instant now) {
        if (caller.isRoot()) {
            return;
        }
        String iamAction = "iam:" + action;
        ConditionContext context = key -> switch (key.toLowerCase(Locale.ROOT)) {
            case "aws:currenttime" -> List.of(QueryXml.time(now));
            case "aws:epochtime" -> List.of(Long.toString(now.getEpochSecond()));
            default -> List.of();
        };
        boolean allowed = false;
        for (Policy p : caller.identityPolicies()) {
            switch (p.verdict(caller.principal(), iamAction, resourceArn, context)) {
                case DENY -> throw IamException.accessDenied(caller.user().arn(), iamAction, resourceArn, true);
                case ALLOW, ALLOW_ACCOUNT -> allowed = true;
                case NONE -> {
                }
            }
        }
        if (!allowed) {
            throw IamException.accessDenied(caller.user().arn(), iamAction, resourceArn, false);
        }
    }
}
