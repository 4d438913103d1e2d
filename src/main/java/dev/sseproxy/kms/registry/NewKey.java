package dev.sseproxy.kms.registry;

/**
 * What CreateKey asks for. Null means "not given" (AWS's defaults apply).
 *
 * @param description           free text
 * @param policy                key policy document; the default policy when null
 * @param keyUsage              must be {@code ENCRYPT_DECRYPT}
 * @param keySpec               must be {@code SYMMETRIC_DEFAULT}
 * @param customerMasterKeySpec deprecated alias of keySpec; must be {@code SYMMETRIC_DEFAULT}
 * @param origin                must be {@code AWS_KMS}
 * @param multiRegion           must not be true
 * @param tagged                whether tags were given (not supported)
 */
public record NewKey(String description, String policy, String keyUsage, String keySpec, String customerMasterKeySpec,
                     String origin, Boolean multiRegion, boolean tagged) {

    /** A plain symmetric key with a description and the default policy. */
    public static NewKey withDescription(String description) {
        return new NewKey(description, null, null, null, null, null, null, false);
    }
}
