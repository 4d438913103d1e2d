package dev.sseproxy.kms.registry;

/** The key-policy actions the registry authorises, with their IAM names. */
public enum KmsAction {
    /** Data path: a new data key under the key (S3 writes). */
    GENERATE_DATA_KEY("kms:GenerateDataKey"),
    /** Data path: encrypt under the key. */
    ENCRYPT("kms:Encrypt"),
    /** Data path: decrypt a data key (S3 reads, multipart parts). */
    DECRYPT("kms:Decrypt"),
    /** Management: describe a key (another account's by its ARN). */
    DESCRIBE_KEY("kms:DescribeKey"),
    /** Management (account-scoped: resource {@code *}): create a key. */
    CREATE_KEY("kms:CreateKey"),
    /** Management (account-scoped): list the account's keys. */
    LIST_KEYS("kms:ListKeys"),
    /** Management (account-scoped): list the account's aliases. */
    LIST_ALIASES("kms:ListAliases"),
    /** Management: enable a key. */
    ENABLE_KEY("kms:EnableKey"),
    /** Management: disable a key. */
    DISABLE_KEY("kms:DisableKey"),
    /** Management: schedule a key's deletion. */
    SCHEDULE_KEY_DELETION("kms:ScheduleKeyDeletion"),
    /** Management: cancel a key's deletion. */
    CANCEL_KEY_DELETION("kms:CancelKeyDeletion"),
    /** Management: read a key's policy. */
    GET_KEY_POLICY("kms:GetKeyPolicy"),
    /** Management: replace a key's policy. */
    PUT_KEY_POLICY("kms:PutKeyPolicy"),
    /** Management: name a key with a new alias. */
    CREATE_ALIAS("kms:CreateAlias"),
    /** Management: remove an alias. */
    DELETE_ALIAS("kms:DeleteAlias");

    private final String iamName;

    KmsAction(String iamName) {
        this.iamName = iamName;
    }

    /** The action as written in a key policy and in AWS's messages, e.g. {@code kms:GenerateDataKey}. */
    public String iamName() {
        return iamName;
    }
}
