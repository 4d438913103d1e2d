package dev.sseproxy.authz;

import java.util.List;

/**
 * One statement of a policy, validated. {@code principals} is null in identity policies (the statement
 * is about the identity the policy is attached to).
 */
record Statement(String sid, boolean allow, PrincipalSet principals, boolean notPrincipal, List<String> actions,
        boolean notAction, List<PolicyText> resources, boolean notResource, List<Condition> conditions) {

    Statement {
        actions = List.copyOf(actions);
        resources = List.copyOf(resources);
        conditions = List.copyOf(conditions);
    }

    /**
     * How the principal part names {@code who}. {@code NotPrincipal} names everyone it does not exclude, and
     * excludes, as IAM documents, a root whose account it lists, and a user only when it lists both the
     * user's ARN and the user's account (a request is weighed as the user and as its account; listing the
     * user alone does not exempt it, listing the account alone exempts only the root).
     */
    PrincipalSet.Match principalMatch(Principal who) {
        if (principals == null) {
            return PrincipalSet.Match.SELF;
        }
        if (!notPrincipal) {
            return principals.match(who);
        }
        boolean excluded = who.accountId() != null && !principals.everyone()
                && principals.accounts().contains(who.accountId())
                && (who.isRoot() || principals.userArns().contains(who.arn()));
        excluded |= who.isService() && principals.services().contains(who.service());
        excluded |= principals.everyone();
        return excluded ? PrincipalSet.Match.NONE : PrincipalSet.Match.SELF;
    }

    /** Whether the action part covers {@code action} (action names compare ignoring case). */
    boolean coversAction(String action) {
        for (String pattern : actions) {
            if (Wildcard.matchesIgnoreCase(pattern, action)) {
                return !notAction;
            }
        }
        return notAction;
    }

    /** Whether the resource part covers {@code arn} (case-sensitively; variables resolved in {@code context}). */
    boolean coversResource(String arn, ConditionContext context) {
        for (PolicyText pattern : resources) {
            if (pattern.matches(arn, context)) {
                return !notResource;
            }
        }
        return notResource;
    }

    /** Whether every condition holds. */
    boolean conditionsHold(ConditionContext context) {
        for (Condition c : conditions) {
            if (!c.holds(context)) {
                return false;
            }
        }
        return true;
    }
}
