package dev.sseproxy.kms.registry;

import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A key as a request names it (spec §4.1): key id, key ARN, alias name or alias ARN. Parsing only
 * checks the form; which account and region it lands in is {@link KeyResolution}'s business.
 */
public sealed interface KeyIdentifier {
    /** The alias of the AWS managed key S3 uses when no key is named. */
    String AWS_S3_ALIAS = "alias/aws/s3";
    /** The namespace of AWS managed aliases; customers cannot create or delete aliases in it. */
    String AWS_ALIAS_PREFIX = "alias/aws/";

    Pattern UUID_FORM = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    Pattern ALIAS_FORM = Pattern.compile("alias/[a-zA-Z0-9/_-]{1,250}");
    Pattern ARN_FORM = Pattern.compile("arn:aws:kms:([a-z0-9-]+):(\\d{12}):(key|alias)/(.+)");

    /** A bare key id, resolved in the requester's account. */
    record KeyId(UUID keyId) implements KeyIdentifier {
    }

    /** A full key ARN, resolved as written. */
    record KeyArn(String region, String accountId, UUID keyId) implements KeyIdentifier {
    }

    /** An alias name, resolved in the requester's account. */
    record AliasName(String aliasName) implements KeyIdentifier {
    }

    /** A full alias ARN, resolved as written. */
    record AliasArn(String region, String accountId, String aliasName) implements KeyIdentifier {
    }

    /**
     * Parses a key identifier.
     *
     * @throws KeyRegistryException.InvalidKeyId when it has none of the four forms
     */
    static KeyIdentifier parse(String value) {
        if (value == null || value.isEmpty()) {
            throw new KeyRegistryException.InvalidKeyId(String.valueOf(value));
        }
        if (UUID_FORM.matcher(value).matches()) {
            return new KeyId(UUID.fromString(value.toLowerCase(Locale.ROOT)));
        }
        if (ALIAS_FORM.matcher(value).matches()) {
            return new AliasName(value);
        }
        Matcher arn = ARN_FORM.matcher(value);
        if (arn.matches()) {
            String resource = arn.group(4);
            if ("key".equals(arn.group(3)) && UUID_FORM.matcher(resource).matches()) {
                return new KeyArn(arn.group(1), arn.group(2), UUID.fromString(resource.toLowerCase(Locale.ROOT)));
            }
            if ("alias".equals(arn.group(3)) && ALIAS_FORM.matcher("alias/" + resource).matches()) {
                return new AliasArn(arn.group(1), arn.group(2), "alias/" + resource);
            }
        }
        throw new KeyRegistryException.InvalidKeyId(value);
    }

    /** {@code arn:aws:kms:<region>:<account>:key/<keyId>}. */
    static String keyArn(String region, String accountId, UUID keyId) {
        return "arn:aws:kms:" + region + ":" + accountId + ":key/" + keyId;
    }

    /** {@code arn:aws:kms:<region>:<account>:alias/<name>} for an alias name {@code alias/<name>}. */
    static String aliasArn(String region, String accountId, String aliasName) {
        return "arn:aws:kms:" + region + ":" + accountId + ":" + aliasName;
    }
}
