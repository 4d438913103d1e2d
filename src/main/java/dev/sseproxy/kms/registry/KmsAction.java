package dev.sseproxy.kms.registry;

/** The key-policy actions the registry authorises, with their IAM names. */
public enum KmsAction {
    /** Data path: a new data key under the key (S3 writes). */
    GENERATE_DATA_KEY("kms:GenerateDataKey"),
    /** Data path: encrypt under the key. */
    ENCRYPT("kms:Encrypt"),
    /** Data path: decrypt a data key (S3 reads, multipart parts). */
    DECRYPT("kms:Decrypt"),
    /** Management: describe another account's key by its ARN. */
    DESCRIBE_KEY("kms:DescribeKey");

    private final String iamName;

    KmsAction(String iamName) {
        this.iamName = iamName;
    }

    /** The action as written in a key policy and in AWS's messages, e.g. {@code kms:GenerateDataKey}. */
    public String iamName() {
        return iamName;
    }
}
