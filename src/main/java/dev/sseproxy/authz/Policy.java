package dev.sseproxy.authz;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A parsed, validated policy document (package documentation: grammar, limits, what "public" means).
 * Immutable; parsed once when stored or loaded, evaluated many times.
 */
public final class Policy {
    /** Where a document is used; validation differs (a bucket policy needs Principal, an identity policy forbids it). */
    public enum Kind { BUCKET, IDENTITY }

    private final Kind kind;
    private final String text;
    private final List<Statement> statements;
    private final Set<String> keysRead; // lower case: condition keys and policy variables
    private final boolean isPublic;

    private Policy(Kind kind, String text, PolicyParser.Parsed parsed) {
        this.kind = kind;
        this.text = text;
        this.statements = parsed.statements();
        Set<String> keys = new HashSet<>();
        for (Statement s : statements) {
            for (Condition c : s.conditions()) {
                keys.add(c.keyLower());
                c.texts().forEach(t -> keys.addAll(t.variableKeys()));
            }
            s.resources().forEach(t -> keys.addAll(t.variableKeys()));
        }
        this.keysRead = Set.copyOf(keys);
        this.isPublic = kind == Kind.BUCKET && PublicPolicies.isPublic(statements);
    }

    /**
     * A bucket policy for {@code bucket}, validated as S3's PutBucketPolicy validates it (every Resource
     * must lie in the bucket: "Policy has invalid resource"; at most 20 KiB without whitespace).
     *
     * @throws MalformedPolicyException with S3's message ({@link PolicyFault})
     */
    public static Policy bucketPolicy(String json, String bucket) {
        return new Policy(Kind.BUCKET, json, PolicyParser.parse(json, Kind.BUCKET, bucket));
    }

    /**
     * An identity policy (IAM user inline or managed policy), validated as IAM validates one (at most 6,144
     * characters without whitespace).
     *
     * @throws MalformedPolicyException with IAM's message ({@link PolicyFault})
     */
    public static Policy identityPolicy(String json) {
        return new Policy(Kind.IDENTITY, json, PolicyParser.parse(json, Kind.IDENTITY, null));
    }

    public Kind kind() {
        return kind;
    }

    /** The document as it was given (GetBucketPolicy returns it unchanged). */
    public String text() {
        return text;
    }

    /** Whether this bucket policy is public as S3 defines it (GetBucketPolicyStatus, Block Public Access). */
    public boolean isPublic() {
        return isPublic;
    }

    /**
     * Whether any Condition (or policy variable) reads a key starting with {@code lowerCasePrefix} (e.g.
     * {@code s3:existingobjecttag/}), so a caller fetches costly keys only for policies that use them.
     */
    public boolean readsConditionKey(String lowerCasePrefix) {
        for (String k : keysRead) {
            if (k.startsWith(lowerCasePrefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * What this policy alone says of one request ({@link Verdict}): statements whose principal part names
     * {@code who} (identity policies: every statement), whose action and resource parts match, and whose
     * Condition holds in {@code context}. Usable for any service's actions and ARNs (S3, KMS, IAM). The
     * context is used as given: callers outside {@link AuthorizationDecisions} add the principal's keys with
     * {@link ConditionContext#withPrincipal}.
     */
    public Verdict verdict(Principal who, String action, String resourceArn, ConditionContext context) {
        boolean self = false;
        boolean account = false;
        for (Statement s : statements) {
            if (!s.coversAction(action)) {
                continue;
            }
            PrincipalSet.Match m = kind == Kind.IDENTITY ? PrincipalSet.Match.SELF : s.principalMatch(who);
            if (m == PrincipalSet.Match.NONE || !s.coversResource(resourceArn, context) || !s.conditionsHold(context)) {
                continue;
            }
            if (!s.allow()) {
                return Verdict.DENY;
            }
            self |= m == PrincipalSet.Match.SELF;
            account |= m == PrincipalSet.Match.ACCOUNT;
        }
        return self ? Verdict.ALLOW : account ? Verdict.ALLOW_ACCOUNT : Verdict.NONE;
    }

    /** The Sid of the first Deny statement that applies (for reasons and logs), or null. */
    String denyingSid(Principal who, String action, String resourceArn, ConditionContext context) {
        for (Statement s : statements) {
            if (!s.allow() && s.coversAction(action)
                    && (kind == Kind.IDENTITY || s.principalMatch(who) != PrincipalSet.Match.NONE)
                    && s.coversResource(resourceArn, context) && s.conditionsHold(context)) {
                return s.sid() == null ? "(no Sid)" : s.sid();
            }
        }
        return null;
    }

    /** The outcome of {@link #verdict}. */
    public enum Verdict {
        /** A Deny statement applies. */
        DENY,
        /** No Deny applies; an Allow statement applies that names the requester itself ({@code *}, its user ARN, or a root's account). */
        ALLOW,
        /** No Deny applies; the only Allow statements that apply name the requester's account, not the user: a delegation to the account's identity policies. */
        ALLOW_ACCOUNT,
        /** Nothing applies. */
        NONE
    }

    /** The statements' count (tests, limits). */
    public int statementCount() {
        return statements.size();
    }

    List<Statement> statements() {
        return statements;
    }

    static List<Policy> none() {
        return List.of();
    }
}
