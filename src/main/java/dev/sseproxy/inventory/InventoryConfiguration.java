package dev.sseproxy.inventory;

import java.util.List;
import java.util.Optional;

/**
 * One S3 Inventory configuration of a bucket, already validated (the S3 operation checks the XML with
 * S3's errors before building one).
 *
 * @param id                the configuration id: 1 to 64 of {@code [A-Za-z0-9._-]}
 * @param destinationBucket the destination bucket's name (the configuration's ARN without {@code arn:aws:s3:::})
 * @param destinationAccount the destination bucket's expected owner, when given
 * @param destinationPrefix  the key prefix of every report object (empty: none)
 * @param encryption         how report objects are encrypted: SSE-S3, SSE-KMS, or empty (the destination's default)
 * @param kmsKeyId           the KMS key of SSE-KMS report encryption
 * @param filterPrefix       only objects under this prefix are listed (empty: all)
 * @param allVersions        IncludedObjectVersions {@code All} (adds the version columns; the proxy keeps one
 *                           version per key, so each row is that version: no id, latest, not a delete marker)
 * @param fields             the optional fields, as given (a set, in the order given)
 * @param weekly             Schedule Frequency {@code Weekly} (else {@code Daily})
 */
public record InventoryConfiguration(String id, boolean enabled, String destinationBucket,
        Optional<String> destinationAccount, String destinationPrefix, Optional<Encryption> encryption,
        Optional<String> kmsKeyId, String filterPrefix, boolean allVersions, List<InventoryField> fields,
        boolean weekly) {

    /** Encryption of delivered reports, as the configuration's Destination/Encryption names it. */
    public enum Encryption {
        SSE_S3("SSE-S3"), SSE_KMS("SSE-KMS");

        private final String wire;

        Encryption(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        public static Optional<Encryption> fromWire(String s) {
            for (Encryption e : values()) {
                if (e.wire.equals(s)) {
                    return Optional.of(e);
                }
            }
            return Optional.empty();
        }
    }

    /** S3's limit of configurations per bucket. */
    public static final int MAX_PER_BUCKET = 1000;

    public InventoryConfiguration {
        fields = List.copyOf(fields);
        destinationPrefix = destinationPrefix == null ? "" : destinationPrefix;
        filterPrefix = filterPrefix == null ? "" : filterPrefix;
    }

    /** Whether {@code id} is a valid configuration id (1 to 64 of letters, digits, '.', '_', '-'). */
    public static boolean validId(String id) {
        if (id == null || id.isEmpty() || id.length() > 64) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_'
                    || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The destination as the configuration names it. */
    public String destinationArn() {
        return "arn:aws:s3:::" + destinationBucket;
    }
}
