package dev.sseproxy.crypto;

/**
 * How an envelope is written into backend user metadata (package documentation, "Envelope"); both
 * are always read.
 */
public enum EnvelopeLayout {
    /** One entry, {@link Envelope#PACKED}: the default, the cheapest for the backend to store and serve. */
    PACKED,
    /** One entry per field, as every version before the packed layout wrote and can read. */
    FIELDS
}
