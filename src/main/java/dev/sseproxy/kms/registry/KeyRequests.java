package dev.sseproxy.kms.registry;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Validation of management parameters, with AWS's messages (ValidationException and friends). */
final class KeyRequests {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    static final int DEFAULT_PENDING_WINDOW_DAYS = 30;
    static final int MAX_DESCRIPTION = 8192;
    private static final Pattern ALIAS_CHARACTERS = Pattern.compile("^[a-zA-Z0-9:/_-]+$");

    private KeyRequests() {
    }

    /** The page size: 100 when absent, else 1..1000. */
    static int limit(Integer limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        if (limit < 1) {
            throw constraint(limit, "limit", "Member must have value greater than or equal to 1");
        }
        if (limit > MAX_LIMIT) {
            throw constraint(limit, "limit", "Member must have value less than or equal to 1000");
        }
        return limit;
    }

    /** The waiting period before deletion: 30 days when absent, else 7..30. */
    static int pendingWindow(Integer days) {
        if (days == null) {
            return DEFAULT_PENDING_WINDOW_DAYS;
        }
        if (days < 7) {
            throw constraint(days, "pendingWindowInDays", "Member must have value greater than or equal to 7");
        }
        if (days > 30) {
            throw constraint(days, "pendingWindowInDays", "Member must have value less than or equal to 30");
        }
        return days;
    }

    /** A ListKeys marker: the key id a previous page ended with. */
    static UUID keyMarker(String marker) {
        if (marker == null) {
            return null;
        }
        if (!KeyIdentifier.UUID_FORM.matcher(marker).matches()) {
            throw new KeyRegistryException.InvalidMarker();
        }
        return UUID.fromString(marker);
    }

    /** A ListAliases marker: the alias name a previous page ended with. */
    static String aliasMarker(String marker) {
        if (marker != null && !marker.startsWith("alias/")) {
            throw new KeyRegistryException.InvalidMarker();
        }
        return marker;
    }

    /**
     * Checks an alias name a customer may create or delete.
     *
     * @throws KeyRegistryException.NotAuthorized for the reserved {@code alias/aws/} namespace
     */
    static void customerAliasName(String aliasName) {
        if (aliasName == null || aliasName.isEmpty()) {
            throw new KeyRegistryException.Validation("1 validation error detected: Value null at 'aliasName' failed "
                    + "to satisfy constraint: Member must not be null");
        }
        if (!ALIAS_CHARACTERS.matcher(aliasName).matches()) {
            throw constraint(aliasName, "aliasName", "Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$");
        }
        if (aliasName.length() > 256) {
            throw constraint(aliasName, "aliasName", "Member must have length less than or equal to 256");
        }
        if (!aliasName.startsWith("alias/") || aliasName.length() == "alias/".length()) {
            throw new KeyRegistryException.Validation("Alias must start with the prefix \"alias/\". Please see "
                    + "https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html");
        }
        if (aliasName.contains(":")) {
            throw new KeyRegistryException.Validation(aliasName + " contains invalid characters for an alias");
        }
        if (aliasName.startsWith(KeyIdentifier.AWS_ALIAS_PREFIX)) {
            throw new KeyRegistryException.NotAuthorized("The alias namespace \"alias/aws/\" is reserved for AWS "
                    + "managed keys and cannot be used for customer managed keys.");
        }
    }

    /** The only key policy name there is. */
    static void policyName(String policyName) {
        if (policyName != null && !"default".equals(policyName)) {
            throw new KeyRegistryException.Validation("1 validation error detected: Value '" + policyName
                    + "' at 'policyName' failed to satisfy constraint: the only key policy name is 'default'");
        }
    }

    /**
     * Checks what CreateKey asks for against what sse-proxy offers: symmetric encryption keys made
     * by the KMS itself, in one region, without tags.
     */
    static String newKeyDescription(NewKey spec) {
        String description = Optional.ofNullable(spec.description()).orElse("");
        if (description.length() > MAX_DESCRIPTION) {
            throw constraint("(description)", "description", "Member must have length less than or equal to 8192");
        }
        only("KeyUsage", spec.keyUsage(), "ENCRYPT_DECRYPT");
        only("KeySpec", spec.keySpec(), "SYMMETRIC_DEFAULT");
        only("CustomerMasterKeySpec", spec.customerMasterKeySpec(), "SYMMETRIC_DEFAULT");
        only("Origin", spec.origin(), "AWS_KMS");
        if (Boolean.TRUE.equals(spec.multiRegion())) {
            throw new KeyRegistryException.Unsupported("sse-proxy does not support multi-Region keys.");
        }
        if (spec.tagged()) {
            throw new KeyRegistryException.Unsupported("sse-proxy does not support tags on KMS keys.");
        }
        return description;
    }

    private static void only(String parameter, String value, String supported) {
        if (value != null && !supported.equals(value)) {
            throw new KeyRegistryException.Unsupported(parameter + " " + value + " is not supported by sse-proxy: "
                    + "only symmetric encryption keys (" + parameter + " " + supported + ") are.");
        }
    }

    private static KeyRegistryException.Validation constraint(Object value, String member, String rule) {
        return new KeyRegistryException.Validation("1 validation error detected: Value '" + value + "' at '" + member
                + "' failed to satisfy constraint: " + rule);
    }
}
