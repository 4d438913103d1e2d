package dev.sseproxy.iam;

import dev.sseproxy.authz.AuthorizationDecisions;
import dev.sseproxy.authz.ConditionContext;
import dev.sseproxy.authz.Decision;
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
        // the request's keys and the caller's own (also for policy variables such as ${aws:username})
        ConditionContext context = key -> switch (key.toLowerCase(Locale.ROOT)) {
            case "aws:currenttime" -> List.of(QueryXml.time(now));
            case "aws:epochtime" -> List.of(Long.toString(now.getEpochSecond()));
            case "aws:username" -> List.of(caller.user().name());
            case "aws:userid" -> List.of(caller.user().userId());
            case "aws:principalarn" -> List.of(caller.user().arn());
            case "aws:principalaccount" -> List.of(caller.accountId());
            case "aws:principaltype" -> List.of("User");
            default -> List.of();
        };
        Decision d = AuthorizationDecisions.identityOnly(caller.principal(), caller.identityPolicies(), iamAction,
                resourceArn, context);
        if (!d.allowed()) {
            throw IamException.accessDenied(caller.user().arn(), iamAction, resourceArn, d.explicitDeny());
        }
    }
}
