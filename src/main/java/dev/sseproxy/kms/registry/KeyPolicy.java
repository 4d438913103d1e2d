package dev.sseproxy.kms.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sseproxy.authz.Policy;
import dev.sseproxy.authz.Principal;
import dev.sseproxy.authz.Wildcard;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A key policy, reduced to the subset sse-proxy honours: which principals (accounts, as their root, and
 * IAM users) it names for which actions. {@link #verdict} says what it alone grants one principal; the
 * package documentation ({@link KeyAuthorization}) says how that combines with identity policies.
 *
 * <h2>Honoured</h2>
 * <ul>
 * <li>{@code Version}: {@code 2012-10-17} or {@code 2008-10-17}, or absent.</li>
 * <li>{@code Statement}: one object or an array of them; {@code Sid} is kept as text only.</li>
 * <li>{@code Effect}: {@code Allow} or {@code Deny}; a matching Deny wins over any Allow.</li>
 * <li>{@code Principal}: {@code "*"} or {@code {"AWS": …}} with one or more of {@code "*"}, a
 *     12-digit account id or {@code arn:aws:iam::<account>:root} (both: the account, kept as its root
 *     ARN), or {@code arn:aws:iam::<account>:user/<path/><name>} (that user only, matched exactly). Other
 *     IAM ARNs (roles) and other principal kinds ({@code Service}, {@code Federated}) are accepted but
 *     match nobody, since no such identities exist here.</li>
 * <li>{@code Action}: one or more of {@code "*"} or {@code kms:<Name>} with {@code *} and {@code ?}
 *     wildcards ({@code kms:*}, {@code kms:GenerateDataKey*}), matched case-insensitively.</li>
 * <li>{@code Resource}: {@code "*"} (this key) or the key's own ARN; a statement naming only other
 *     resources does not apply.</li>
 * <li>{@code Condition}: not evaluated, so it fails closed — a conditional Allow grants nothing, a
 *     conditional Deny always applies.</li>
 * </ul>
 * {@code NotPrincipal}, {@code NotAction} and {@code NotResource} are refused as malformed: ignoring
 * them would grant or deny the opposite of what was meant.
 *
 * <h2>Bounds and cost</h2>
 * A document over {@value #MAX_BYTES} bytes (UTF-8) is refused with {@code LimitExceededException}, as
 * AWS KMS refuses one over its 32 KiB key policy quota; so is one with more than
 * {@value #MAX_STATEMENTS} statements (sse-proxy's own bound: AWS bounds statements only through the
 * size, which leaves room for about 500 minimal ones). No regular expression is built from a document:
 * action wildcards are matched by {@link Wildcard} (linear in the pattern, no backtracking) against
 * each of the few {@link KmsAction}s once, when the document is parsed, so parsing costs
 * {@code O(document size)} and {@link #verdict} is a few hash lookups per statement: at most
 * {@value #MAX_STATEMENTS} of them, whatever the patterns say. Both are cheap enough for the event loop.
 */
public final class KeyPolicy {
    /** AWS's limit on the size of a key policy document. */
    public static final int MAX_BYTES = 32 * 1024;
    /** sse-proxy's bound on the statements of one policy. */
    public static final int MAX_STATEMENTS = 256;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IAM_ARN_PREFIX = "arn:aws:iam::";
    /** Grants nothing: what a stored policy that cannot be read any more is taken to say. */
    public static final KeyPolicy DENY_ALL = new KeyPolicy(List.of());

    private final List<Statement> statements;

    private KeyPolicy(List<Statement> statements) {
        this.statements = List.copyOf(statements);
    }

    /**
     * One statement, reduced.
     *
     * @param allow       Allow (true) or Deny
     * @param principals  root ARNs (accounts), user (or other IAM) ARNs, or {@code *} for anyone
     * @param actions     the actions its patterns match
     * @param resources   {@code *} or ARNs
     * @param conditional whether the statement had a Condition (not evaluated)
     */
    record Statement(boolean allow, Set<String> principals, Set<KmsAction> actions, Set<String> resources,
                     boolean conditional) {
    }

    /**
     * Parses a policy document.
     *
     * @throws KeyRegistryException.MalformedPolicy when it is not a policy in the honoured subset
     * @throws KeyRegistryException.LimitExceeded   when it is over {@value #MAX_BYTES} bytes or
     *                                              {@value #MAX_STATEMENTS} statements
     */
    public static KeyPolicy parse(String document) {
        if (document == null || document.isBlank()) {
            throw malformed("The key policy is empty.");
        }
        if (document.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new KeyRegistryException.LimitExceeded("The key policy exceeds the maximum size of " + MAX_BYTES
                    + " bytes.");
        }
        JsonNode root;
        try {
            root = JSON.readTree(document);
        } catch (JsonProcessingException e) {
            throw malformed("The key policy is not valid JSON.");
        }
        if (root == null || !root.isObject()) {
            throw malformed("The key policy must be a JSON object.");
        }
        JsonNode version = root.get("Version");
        if (version != null && !List.of("2012-10-17", "2008-10-17").contains(version.asText())) {
            throw malformed("Unsupported policy Version " + version + ".");
        }
        JsonNode statement = root.get("Statement");
        if (statement == null || !(statement.isObject() || statement.isArray() && !statement.isEmpty())) {
            throw malformed("The key policy has no Statement.");
        }
        if (statement.isArray() && statement.size() > MAX_STATEMENTS) {
            throw new KeyRegistryException.LimitExceeded("The key policy has more than " + MAX_STATEMENTS
                    + " statements.");
        }
        List<Statement> out = new ArrayList<>();
        Iterable<JsonNode> statements = statement.isArray() ? statement : List.of(statement);
        for (JsonNode s : statements) {
            out.add(statement(s));
        }
        return new KeyPolicy(out);
    }

    /** Reads a stored policy; one that no longer parses or is over a bound grants nothing (fails closed). */
    public static KeyPolicy parseStored(String document) {
        try {
            return parse(document);
        } catch (KeyRegistryException.MalformedPolicy | KeyRegistryException.LimitExceeded e) {
            return DENY_ALL;
        }
    }

    /** Whether this policy alone lets the account's root perform the action on the key with this ARN. */
    public boolean allows(String accountId, KmsAction action, String keyArn) {
        return verdict(Principal.account(accountId), action, keyArn) == Policy.Verdict.ALLOW;
    }

    /**
     * What this policy alone says of {@code who} performing {@code action} on the key: {@code DENY} when a
     * Deny statement names {@code *}, {@code who}'s account or {@code who} itself; else {@code ALLOW} when an
     * unconditional Allow names {@code *}, {@code who}'s user ARN or (for a root) its account;
     * {@code ALLOW_ACCOUNT} when such Allows name only a user's account (a delegation to the account's
     * identity policies); else {@code NONE}. A hash lookup or two per statement.
     */
    public Policy.Verdict verdict(Principal who, KmsAction action, String keyArn) {
        String rootArn = who.isAnonymous() ? null : rootArn(who.accountId());
        String userArn = who.isAnonymous() || who.isRoot() ? null : who.arn();
        boolean self = false;
        boolean account = false;
        for (Statement s : statements) {
            if (!s.actions().contains(action) || !(s.resources().contains("*") || s.resources().contains(keyArn))) {
                continue;
            }
            boolean star = s.principals().contains("*");
            boolean names = star || userArn != null && s.principals().contains(userArn);
            boolean namesAccount = rootArn != null && s.principals().contains(rootArn);
            if (!names && !namesAccount) {
                continue;
            }
            if (!s.allow()) {
                return Policy.Verdict.DENY;
            }
            if (s.conditional()) {
                continue;
            }
            if (names || who.isRoot()) {
                self = true;
            } else {
                account = true;
            }
        }
        return self ? Policy.Verdict.ALLOW : account ? Policy.Verdict.ALLOW_ACCOUNT : Policy.Verdict.NONE;
    }

    private static String rootArn(String accountId) {
        return IAM_ARN_PREFIX + accountId + ":root";
    }

    private static Statement statement(JsonNode s) {
        if (!s.isObject()) {
            throw malformed("Each Statement must be a JSON object.");
        }
        for (String unsupported : List.of("NotPrincipal", "NotAction", "NotResource")) {
            if (s.has(unsupported)) {
                throw malformed(unsupported + " is not supported by sse-proxy.");
            }
        }
        String effect = s.path("Effect").asText("");
        if (!effect.equals("Allow") && !effect.equals("Deny")) {
            throw malformed("Each Statement needs an Effect of Allow or Deny.");
        }
        return new Statement(effect.equals("Allow"), principals(s.get("Principal")), actions(s.get("Action")),
                Set.copyOf(strings(s.get("Resource"), "Resource")), s.has("Condition"));
    }

    private static Set<String> principals(JsonNode p) {
        if (p != null && p.isTextual() && "*".equals(p.asText())) {
            return Set.of("*");
        }
        if (p == null || !p.isObject() || p.isEmpty()) {
            throw malformed("Each Statement needs a Principal: \"*\" or {\"AWS\": [...]}.");
        }
        Set<String> principals = new HashSet<>();
        if (p.has("AWS")) {
            for (String value : strings(p.get("AWS"), "Principal")) {
                principals.add(principal(value));
            }
        }
        return Set.copyOf(principals);
    }

    /**
     * A principal value as matched: {@code *}; an account (bare id or root ARN) as its root ARN; any other
     * IAM ARN of an account ({@code user/…}, {@code role/…}) as written.
     */
    private static String principal(String value) {
        if ("*".equals(value)) {
            return value;
        }
        if (isAccountId(value)) {
            return rootArn(value);
        }
        int colon = IAM_ARN_PREFIX.length() + 12;
        if (value.startsWith(IAM_ARN_PREFIX) && value.length() > colon + 1 && value.charAt(colon) == ':'
                && isAccountId(value.substring(IAM_ARN_PREFIX.length(), colon))) {
            return value;
        }
        throw malformed("Policy contains a statement with one or more invalid principals.");
    }

    private static boolean isAccountId(String value) {
        if (value.length() != 12) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** The actions the patterns match, each pattern tried once against each action (see the class doc). */
    private static Set<KmsAction> actions(JsonNode a) {
        Set<KmsAction> out = EnumSet.noneOf(KmsAction.class);
        for (String value : strings(a, "Action")) {
            if (!value.equals("*") && !value.regionMatches(true, 0, "kms:", 0, 4)) {
                throw malformed("Action " + value + " is not a KMS action.");
            }
            for (KmsAction action : KmsAction.values()) {
                if (Wildcard.matchesIgnoreCase(value, action.iamName())) {
                    out.add(action);
                }
            }
        }
        return out;
    }

    private static List<String> strings(JsonNode node, String element) {
        List<String> out = new ArrayList<>();
        if (node != null && node.isTextual()) {
            out.add(node.asText());
        } else if (node != null && node.isArray() && !node.isEmpty()) {
            for (JsonNode v : node) {
                if (!v.isTextual()) {
                    throw malformed(element + " must be a string or an array of strings.");
                }
                out.add(v.asText());
            }
        } else {
            throw malformed("Each Statement needs " + element + " as a string or an array of strings.");
        }
        return out;
    }

    private static KeyRegistryException.MalformedPolicy malformed(String message) {
        return new KeyRegistryException.MalformedPolicy(message);
    }

    /** AWS's default key policy: the owning account (its root) may do everything with the key. */
    public static String defaultPolicy(String accountId) {
        return "{\n  \"Version\" : \"2012-10-17\",\n  \"Id\" : \"key-default-1\",\n  \"Statement\" : [ {\n"
                + "    \"Sid\" : \"Enable IAM User Permissions\",\n    \"Effect\" : \"Allow\",\n"
                + "    \"Principal\" : {\n      \"AWS\" : \"arn:aws:iam::" + accountId + ":root\"\n    },\n"
                + "    \"Action\" : \"kms:*\",\n    \"Resource\" : \"*\"\n  } ]\n}";
    }

    /**
     * The policy AWS gives {@code aws/s3}: use through S3 by the account only, metadata to the account.
     * Shown by GetKeyPolicy; the registry does not evaluate it (an AWS managed key serves its own
     * account only, spec §4.1).
     */
    public static String awsManagedS3Policy(String accountId, String region) {
        return "{\n  \"Version\" : \"2012-10-17\",\n  \"Id\" : \"auto-s3-2\",\n  \"Statement\" : [ {\n"
                + "    \"Sid\" : \"Allow access through S3 for all principals in the account that are authorized "
                + "to use S3\",\n    \"Effect\" : \"Allow\",\n    \"Principal\" : {\n      \"AWS\" : \"*\"\n    },\n"
                + "    \"Action\" : [ \"kms:Encrypt\", \"kms:Decrypt\", \"kms:ReEncrypt*\", \"kms:GenerateDataKey*\", "
                + "\"kms:DescribeKey\" ],\n    \"Resource\" : \"*\",\n    \"Condition\" : {\n"
                + "      \"StringEquals\" : {\n        \"kms:CallerAccount\" : \"" + accountId + "\",\n"
                + "        \"kms:ViaService\" : \"s3." + region + ".amazonaws.com\"\n      }\n    }\n  }, {\n"
                + "    \"Sid\" : \"Allow direct access to key metadata to the account\",\n    \"Effect\" : \"Allow\",\n"
                + "    \"Principal\" : {\n      \"AWS\" : \"arn:aws:iam::" + accountId + ":root\"\n    },\n"
                + "    \"Action\" : [ \"kms:Describe*\", \"kms:Get*\", \"kms:List*\" ],\n    \"Resource\" : \"*\"\n"
                + "  } ]\n}";
    }
}
