package dev.sseproxy.kms.registry;

/** Who manages a KMS key ({@code KeyManager}): the account ({@code CUSTOMER}) or the service ({@code AWS}, i.e. {@code aws/s3}). */
public enum KeyManager {
    /** The AWS managed key {@code aws/s3}: created on first use, never shared, its state and policy fixed. */
    AWS,
    /** A customer managed key, created with CreateKey. */
    CUSTOMER
}
