package dev.sseproxy.authz;

import dev.sseproxy.authz.PolicyJson.Literal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Validates a policy document as S3 (bucket policies) or IAM (identity policies) does and builds its
 * statements. Limits first (size, then JSON shape), so the work is linear in the document's size.
 * Messages: {@link PolicyFault}.
 */
final class PolicyParser {
    /** S3's bucket policy quota: 20 KiB, whitespace between tokens not counted. */
    static final int BUCKET_POLICY_MAX = 20 * 1024;
    /** IAM's managed policy quota (6,144 characters, whitespace not counted). */
    static final int IDENTITY_POLICY_MAX = 6144;

    private static final Set<String> TOP = Set.of("Version", "Id", "Statement");
    private static final Set<String> STATEMENT = Set.of("Sid", "Effect", "Principal", "NotPrincipal", "Action",
            "NotAction", "Resource", "NotResource", "Condition");

    /** The parsed document. */
    record Parsed(List<Statement> statements, boolean variables) {
    }

    private final Policy.Kind kind;
    private final String bucketArn;
    private boolean variables;

    private PolicyParser(Policy.Kind kind, String bucket) {
        this.kind = kind;
        this.bucketArn = bucket == null ? null : "arn:aws:s3:::" + bucket;
    }

    static Parsed parse(String json, Policy.Kind kind, String bucket) {
        return new PolicyParser(kind, bucket).document(json);
    }

    private MalformedPolicyException fault(PolicyFault f) {
        return f.of(kind, null);
    }

    private MalformedPolicyException fault(PolicyFault f, String value) {
        return f.of(kind, value);
    }

    private Parsed document(String json) {
        if (json == null) {
            throw fault(PolicyFault.NOT_JSON);
        }
        int max = kind == Policy.Kind.BUCKET ? BUCKET_POLICY_MAX : IDENTITY_POLICY_MAX;
        if (PolicyJson.sizeWithoutWhitespace(json) > max) {
            throw fault(PolicyFault.TOO_LARGE);
        }
        String trimmed = json.stripLeading();
        if (trimmed.isEmpty() || trimmed.charAt(0) != '{') {
            throw fault(PolicyFault.FIRST_BYTE);
        }
        Map<String, Object> root;
        try {
            root = PolicyJson.readObject(json);
        } catch (PolicyJson.NotJson e) {
            throw fault(PolicyFault.NOT_JSON);
        }
        for (String k : root.keySet()) {
            if (!TOP.contains(k)) {
                throw fault(PolicyFault.UNKNOWN_FIELD, k);
            }
        }
        Object version = root.get("Version");
        if (version != null && !"2012-10-17".equals(version) && !"2008-10-17".equals(version)) {
            throw fault(PolicyFault.INVALID_VERSION);
        }
        variables = "2012-10-17".equals(version);
        if (root.containsKey("Id") && !(root.get("Id") instanceof String)) {
            throw fault(PolicyFault.SYNTAX);
        }
        Object st = root.get("Statement");
        if (st == null) {
            throw fault(PolicyFault.MISSING_STATEMENT);
        }
        List<Object> raw = st instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>(List.of(st));
        if (raw.isEmpty()) {
            throw fault(PolicyFault.EMPTY_STATEMENT);
        }
        List<Statement> statements = new ArrayList<>();
        Set<String> sids = new HashSet<>();
        for (Object o : raw) {
            if (!(o instanceof Map<?, ?> m)) {
                throw fault(PolicyFault.SYNTAX);
            }
            @SuppressWarnings("unchecked")
            Statement s = statement((Map<String, Object>) m);
            if (kind == Policy.Kind.IDENTITY && s.sid() != null && !s.sid().isEmpty() && !sids.add(s.sid())) {
                throw fault(PolicyFault.DUPLICATE_SID);
            }
            statements.add(s);
        }
        return new Parsed(List.copyOf(statements), variables);
    }

    private Statement statement(Map<String, Object> m) {
        for (String k : m.keySet()) {
            if (!STATEMENT.contains(k)) {
                throw fault(PolicyFault.UNKNOWN_FIELD, k);
            }
        }
        String sid = null;
        if (m.containsKey("Sid")) {
            if (!(m.get("Sid") instanceof String s)) {
                throw fault(PolicyFault.SYNTAX);
            }
            sid = s;
            if (kind == Policy.Kind.IDENTITY && !sid.chars().allMatch(PolicyParser::alphanumeric)) {
                throw fault(PolicyFault.INVALID_SID);
            }
        }
        Object effect = m.get("Effect");
        if (effect == null) {
            throw fault(PolicyFault.MISSING_EFFECT);
        }
        if (!"Allow".equals(effect) && !"Deny".equals(effect)) {
            throw fault(PolicyFault.INVALID_EFFECT, String.valueOf(effect));
        }
        boolean notPrincipal = m.containsKey("NotPrincipal");
        PrincipalSet principals = null;
        if (kind == Policy.Kind.IDENTITY) {
            if (notPrincipal || m.containsKey("Principal")) {
                throw fault(PolicyFault.PRINCIPAL_FORBIDDEN);
            }
        } else {
            if (notPrincipal && m.containsKey("Principal")) {
                throw fault(PolicyFault.SYNTAX);
            }
            Object p = notPrincipal ? m.get("NotPrincipal") : m.get("Principal");
            if (p == null) {
                throw fault(PolicyFault.MISSING_PRINCIPAL);
            }
            principals = principals(p);
        }
        boolean notAction = m.containsKey("NotAction");
        if (notAction && m.containsKey("Action")) {
            throw fault(PolicyFault.SYNTAX);
        }
        List<String> actions = strings(notAction ? m.get("NotAction") : m.get("Action"));
        if (actions.isEmpty()) {
            throw fault(PolicyFault.MISSING_ACTION);
        }
        for (String a : actions) {
            checkAction(a);
        }
        boolean notResource = m.containsKey("NotResource");
        if (notResource && m.containsKey("Resource")) {
            throw fault(PolicyFault.SYNTAX);
        }
        List<String> rawResources = strings(notResource ? m.get("NotResource") : m.get("Resource"));
        if (rawResources.isEmpty()) {
            throw fault(PolicyFault.MISSING_RESOURCE);
        }
        List<PolicyText> resources = new ArrayList<>();
        for (String r : rawResources) {
            checkResource(r);
            resources.add(PolicyText.of(r, variables));
        }
        List<Condition> conditions = m.containsKey("Condition") ? conditions(m.get("Condition")) : List.of();
        if (kind == Policy.Kind.BUCKET && !notAction && !notResource
                && !ActionKinds.anyApplies(actions, rawResources, bucketArn)) {
            throw fault(PolicyFault.ACTION_RESOURCE_MISMATCH);
        }
        return new Statement(sid, "Allow".equals(effect), principals, notPrincipal, actions, notAction, resources,
                notResource, conditions);
    }

    private static boolean alphanumeric(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** A string or an array of strings; null (absent): empty. */
    private List<String> strings(Object v) {
        if (v == null) {
            return List.of();
        }
        if (v instanceof String s) {
            return List.of(s);
        }
        if (v instanceof List<?> l) {
            List<String> out = new ArrayList<>(l.size());
            for (Object o : l) {
                if (!(o instanceof String s)) {
                    throw fault(PolicyFault.SYNTAX);
                }
                out.add(s);
            }
            return out;
        }
        throw fault(PolicyFault.SYNTAX);
    }

    private PrincipalSet principals(Object p) {
        boolean everyone = false;
        Set<String> accounts = new HashSet<>();
        Set<String> users = new HashSet<>();
        Set<String> services = new HashSet<>();
        if (p instanceof String s) {
            if (!s.equals("*")) {
                throw fault(PolicyFault.INVALID_PRINCIPAL);
            }
            return new PrincipalSet(true, accounts, users);
        }
        if (!(p instanceof Map<?, ?> m)) {
            throw fault(PolicyFault.INVALID_PRINCIPAL);
        }
        if (m.isEmpty()) {
            throw fault(PolicyFault.EMPTY_PRINCIPAL);
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String type = (String) e.getKey();
            List<String> ids;
            try {
                ids = strings(e.getValue());
            } catch (MalformedPolicyException ex) {
                throw fault(PolicyFault.INVALID_PRINCIPAL);
            }
            if (ids.isEmpty()) {
                throw fault(PolicyFault.EMPTY_PRINCIPAL);
            }
            switch (type) {
                case "AWS" -> {
                    for (String id : ids) {
                        everyone |= awsPrincipal(id, accounts, users);
                    }
                }
                case "CanonicalUser" -> {
                    for (String id : ids) {
                        if (isAccountId(id)) {
                            accounts.add(id);
                        } else if (id.isEmpty() || id.contains("*")) {
                            throw fault(PolicyFault.INVALID_PRINCIPAL);
                        }
                    }
                }
                case "Service", "Federated" -> {
                    for (String id : ids) {
                        if (id.isEmpty()) {
                            throw fault(PolicyFault.INVALID_PRINCIPAL);
                        }
                        if (type.equals("Service")) {
                            services.add(id);
                        }
                    }
                }
                default -> throw fault(PolicyFault.INVALID_PRINCIPAL);
            }
        }
        return new PrincipalSet(everyone, accounts, users, services);
    }

    /** Adds one {@code AWS} principal; true when it is {@code *}. */
    private boolean awsPrincipal(String id, Set<String> accounts, Set<String> users) {
        if (id.equals("*")) {
            return true;
        }
        if (isAccountId(id)) {
            accounts.add(id);
            return false;
        }
        String iam = "arn:aws:iam::";
        String sts = "arn:aws:sts::";
        if ((id.startsWith(iam) || id.startsWith(sts)) && id.length() > iam.length() + 13
                && isAccountId(id.substring(iam.length(), iam.length() + 12)) && id.charAt(iam.length() + 12) == ':'
                && !id.contains("*") && !id.contains("?")) {
            String account = id.substring(iam.length(), iam.length() + 12);
            String rest = id.substring(iam.length() + 13);
            if (id.startsWith(iam) && rest.equals("root")) {
                accounts.add(account);
                return false;
            }
            if (id.startsWith(iam) && rest.startsWith("user/") && !rest.endsWith("/")) {
                users.add(id);
                return false;
            }
            if ((id.startsWith(iam) && rest.startsWith("role/") && !rest.endsWith("/"))
                    || (id.startsWith(sts) && rest.startsWith("assumed-role/"))) {
                return false; // a role: valid, but no requester of this proxy is one
            }
        }
        throw fault(PolicyFault.INVALID_PRINCIPAL);
    }

    static boolean isAccountId(String s) {
        return s.length() == 12 && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** {@code *} or {@code service:Name}, the service lower-case letters, digits and dashes, the name wildcards too. */
    private void checkAction(String a) {
        if (a.equals("*")) {
            return;
        }
        int colon = a.indexOf(':');
        if (colon <= 0 || colon == a.length() - 1) {
            throw fault(PolicyFault.INVALID_ACTION, a);
        }
        String service = a.substring(0, colon);
        String name = a.substring(colon + 1);
        boolean ok = service.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9') || c == '-')
                && name.chars().allMatch(c -> alphanumeric(c) || c == '*' || c == '?' || c == '-' || c == '_');
        if (kind == Policy.Kind.BUCKET) {
            ok &= service.equalsIgnoreCase("s3");
        }
        if (!ok) {
            throw kind == Policy.Kind.BUCKET ? fault(PolicyFault.INVALID_ACTION, a) : fault(PolicyFault.SYNTAX);
        }
    }

    /**
     * A bucket policy's resource must be able to name the bucket or objects in it: its part before the first
     * {@code /} matches the bucket's ARN. An identity policy's is {@code *} or an ARN.
     */
    private void checkResource(String r) {
        if (kind == Policy.Kind.IDENTITY) {
            if (!r.equals("*") && !r.startsWith("arn:")) {
                throw fault(PolicyFault.INVALID_RESOURCE, r);
            }
            return;
        }
        int slash = r.indexOf('/');
        String bucketPart = slash < 0 ? r : r.substring(0, slash);
        if (!bucketPart.startsWith("arn:aws:s3:::") || !Wildcard.matches(bucketPart, bucketArn)) {
            throw fault(PolicyFault.INVALID_RESOURCE, r);
        }
    }

    private List<Condition> conditions(Object c) {
        if (!(c instanceof Map<?, ?> block)) {
            throw fault(PolicyFault.SYNTAX);
        }
        List<Condition> out = new ArrayList<>();
        for (Map.Entry<?, ?> op : block.entrySet()) {
            Condition.Operator operator = Condition.operator((String) op.getKey());
            if (operator == null || !(op.getValue() instanceof Map<?, ?> keys) || keys.isEmpty()) {
                throw fault(PolicyFault.SYNTAX);
            }
            for (Map.Entry<?, ?> k : keys.entrySet()) {
                String key = (String) k.getKey();
                checkConditionKey(key);
                List<String> values = conditionValues(k.getValue());
                Condition parsed = Condition.of(operator, key, values, variables);
                if (parsed == null) {
                    throw fault(PolicyFault.SYNTAX);
                }
                out.add(parsed);
            }
        }
        return out;
    }

    private void checkConditionKey(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        int colon = lower.indexOf(':');
        boolean ok = colon > 0 && colon < lower.length() - 1;
        if (kind == Policy.Kind.BUCKET) {
            ok &= lower.startsWith("aws:") || lower.startsWith("s3:");
        }
        if (!ok) {
            throw fault(PolicyFault.INVALID_CONDITION_KEY, key);
        }
    }

    /** A condition's values: strings, numbers or booleans (as written), alone or in an array. */
    private List<String> conditionValues(Object v) {
        List<Object> raw = v instanceof List<?> l ? new ArrayList<>(l) : List.of(v);
        if (raw.isEmpty()) {
            throw fault(PolicyFault.SYNTAX);
        }
        List<String> out = new ArrayList<>(raw.size());
        for (Object o : raw) {
            if (o instanceof String s) {
                out.add(s);
            } else if (o instanceof Literal lit && !lit.isNull()) {
                out.add(lit.text());
            } else {
                throw fault(PolicyFault.SYNTAX);
            }
        }
        return out;
    }
}
