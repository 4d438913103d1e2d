package dev.sseproxy.auth;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sseproxy.auth.AuthException.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A browser-form POST upload policy ("Creating a POST policy"): expiration plus conditions on
 * the form fields, and the two form-signature algorithms.
 *
 * <p>The caller passes form fields with lower-case names, including a synthetic {@code bucket}
 * entry, only the fields before {@code file}, and with {@code ${filename}} in {@code key}
 * already substituted if it wants the substituted key checked.
 */
public final class PostPolicy {

    /** Form fields that need no condition (AWS: signature fields, file, policy, x-ignore-*). */
    private static final List<String> EXEMPT_FIELDS =
            List.of("x-amz-signature", "signature", "awsaccesskeyid", "policy", "file", "bucket");

    private final Instant expiration;
    private final List<PolicyCondition> conditions;

    private PostPolicy(Instant expiration, List<PolicyCondition> conditions) {
        this.expiration = expiration;
        this.conditions = List.copyOf(conditions);
    }

    /**
     * Decodes and parses a base64 policy document.
     *
     * @throws AuthException INVALID_POLICY_DOCUMENT when it is not valid base64 / JSON / policy
     */
    public static PostPolicy parse(String base64Policy) {
        JsonNode root;
        try {
            byte[] json = Base64.getMimeDecoder().decode(base64Policy.trim());
            root = PolicyJson.MAPPER.reader().with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).readTree(json);
        } catch (IllegalArgumentException | IOException e) {
            throw invalid("Invalid JSON.");
        }
        if (root == null || !root.isObject()) {
            throw invalid("Invalid JSON.");
        }
        JsonNode expiration = root.get("expiration");
        if (expiration == null) {
            throw invalid("Policy missing expiration.");
        }
        JsonNode conditions = root.get("conditions");
        if (conditions == null) {
            throw invalid("Policy missing conditions.");
        }
        if (!conditions.isArray()) {
            throw invalid("Invalid JSON.");
        }
        List<PolicyCondition> parsed = new ArrayList<>();
        conditions.forEach(c -> parsed.addAll(PolicyConditionParser.parse(c)));
        return new PostPolicy(parseExpiration(expiration), parsed);
    }

    private static Instant parseExpiration(JsonNode node) {
        String text = node.isTextual() ? node.asText() : node.toString();
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw invalid("Invalid 'expiration' value: '" + text + "'");
        }
    }

    static AuthException invalid(String detail) {
        return new AuthException(Kind.INVALID_POLICY_DOCUMENT, "Invalid Policy: " + detail);
    }

    /** When the policy stops being valid. */
    public Instant expiration() {
        return expiration;
    }

    /** The conditions, in document order. */
    public List<PolicyCondition> conditions() {
        return conditions;
    }

    /**
     * Checks the form against the policy: not expired, every condition holds, and every form
     * field (except signature fields, {@code file}, {@code policy}, {@code x-ignore-*}) is covered
     * by a condition. A field named by a condition but absent from the form counts as {@code ""}.
     *
     * @param fields form field name (lower case) to value, including {@code bucket}
     * @throws AuthException POLICY_EXPIRED or POLICY_CONDITION_FAILED
     */
    public void check(Map<String, String> fields, Instant now) {
        if (!now.isBefore(expiration)) {
            throw new AuthException(Kind.POLICY_EXPIRED);
        }
        for (PolicyCondition condition : conditions) {
            checkCondition(condition, fields);
        }
        TreeSet<String> extra = new TreeSet<>();
        for (String name : fields.keySet()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!isExempt(lower) && conditions.stream().noneMatch(c -> c.field().filter(lower::equals).isPresent())) {
                extra.add(lower);
            }
        }
        if (!extra.isEmpty()) {
            throw new AuthException(Kind.POLICY_CONDITION_FAILED,
                    "Invalid according to Policy: Extra input fields: " + String.join(", ", extra));
        }
    }

    private static void checkCondition(PolicyCondition condition, Map<String, String> fields) {
        if (condition instanceof PolicyCondition.Eq eq) {
            if (!value(fields, eq.name()).equals(eq.value())) {
                throw conditionFailed(eq.render());
            }
        } else if (condition instanceof PolicyCondition.StartsWith sw) {
            if (!startsWith(sw, value(fields, sw.name()))) {
                throw conditionFailed(sw.render());
            }
        }
    }

    /**
     * A prefix match; a {@code Content-Type} value with commas is a list whose every element must
     * match (S3's "Matching Content-Types in a Comma-Separated List").
     */
    private static boolean startsWith(PolicyCondition.StartsWith sw, String value) {
        if (!"content-type".equalsIgnoreCase(sw.name()) || value.indexOf(',') < 0) {
            return value.startsWith(sw.prefix());
        }
        for (String element : value.split(",", -1)) {
            if (!element.stripLeading().startsWith(sw.prefix())) {
                return false;
            }
        }
        return true;
    }

    private static String value(Map<String, String> fields, String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, String> e : fields.entrySet()) {
            if (e.getKey().toLowerCase(Locale.ROOT).equals(lower)) {
                return e.getValue();
            }
        }
        return "";
    }

    private static boolean isExempt(String lowerName) {
        return EXEMPT_FIELDS.contains(lowerName) || lowerName.startsWith("x-ignore-");
    }

    private static AuthException conditionFailed(String rendered) {
        return new AuthException(Kind.POLICY_CONDITION_FAILED,
                "Invalid according to Policy: Policy Condition failed: " + rendered);
    }

    /**
     * The allowed upload size {@code {min, max}} (inclusive), intersecting all
     * content-length-range conditions; empty when the policy has none.
     */
    public Optional<long[]> contentLengthRange() {
        long[] range = null;
        for (PolicyCondition c : conditions) {
            if (c instanceof PolicyCondition.ContentLengthRange r) {
                range = range == null ? new long[] {r.min(), r.max()}
                        : new long[] {Math.max(range[0], r.min()), Math.min(range[1], r.max())};
            }
        }
        return Optional.ofNullable(range);
    }

    /**
     * Checks an upload size against a {@code {min, max}} range.
     *
     * @throws AuthException ENTITY_TOO_SMALL or ENTITY_TOO_LARGE
     */
    public static void checkLength(long size, long[] range) {
        if (size < range[0]) {
            throw new AuthException(Kind.ENTITY_TOO_SMALL, Kind.ENTITY_TOO_SMALL.defaultMessage(),
                    Map.of("ProposedSize", String.valueOf(size), "MinSizeAllowed", String.valueOf(range[0])));
        }
        if (size > range[1]) {
            throw new AuthException(Kind.ENTITY_TOO_LARGE, Kind.ENTITY_TOO_LARGE.defaultMessage(),
                    Map.of("ProposedSize", String.valueOf(size), "MaxSizeAllowed", String.valueOf(range[1])));
        }
    }

    /** SigV4 form signature: hex HMAC-SHA256 of the base64 policy with the signing key. */
    public static String sigV4(byte[] signingKey, String base64Policy) {
        return SigV4.sign(signingKey, base64Policy);
    }

    /** SigV2 form signature: base64 HMAC-SHA1 of the base64 policy with the secret key. */
    public static String sigV2(String secretKey, String base64Policy) {
        byte[] mac = SigV4.hmac("HmacSHA1", secretKey.getBytes(StandardCharsets.UTF_8),
                base64Policy.getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(mac);
    }
}
