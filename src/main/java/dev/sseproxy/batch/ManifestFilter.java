package dev.sseproxy.batch;

import dev.sseproxy.inventory.EncryptionStatus;
import dev.sseproxy.inventory.ScannedObject;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * S3JobManifestGenerator's {@code Filter}: an object is in the generated manifest when it passes every
 * filter given (each list filter: any of its values). Key constraints are plain string comparisons
 * (prefix, suffix, substring), never patterns. {@code CreatedAfter}/{@code CreatedBefore} compare the
 * object's last-modified time (strictly); sizes are plaintext sizes, compared strictly. An SSE-KMS
 * filter may name a key ARN and a bucket-key state that the object must also have.
 */
public record ManifestFilter(Optional<Instant> createdAfter, Optional<Instant> createdBefore, Optional<String> prefix,
        Optional<String> suffix, Optional<String> substring, Optional<Long> sizeGreaterThan, Optional<Long> sizeLessThan,
        Set<EncryptionStatus> encryptions, Optional<String> kmsKeyArn, Optional<Boolean> bucketKeyEnabled,
        Set<String> storageClasses) {

    public static final ManifestFilter ALL = new ManifestFilter(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Set.of(), Optional.empty(),
            Optional.empty(), Set.of());

    public boolean test(ScannedObject o) {
        if (createdAfter.isPresent() && !o.lastModified().isAfter(createdAfter.get())) {
            return false;
        }
        if (createdBefore.isPresent() && !o.lastModified().isBefore(createdBefore.get())) {
            return false;
        }
        if (prefix.isPresent() && !o.key().startsWith(prefix.get())) {
            return false;
        }
        if (suffix.isPresent() && !o.key().endsWith(suffix.get())) {
            return false;
        }
        if (substring.isPresent() && !o.key().contains(substring.get())) {
            return false;
        }
        if (sizeGreaterThan.isPresent() && !(o.size() > sizeGreaterThan.get())) {
            return false;
        }
        if (sizeLessThan.isPresent() && !(o.size() < sizeLessThan.get())) {
            return false;
        }
        if (!encryptions.isEmpty()) {
            if (!encryptions.contains(o.encryption())) {
                return false;
            }
            boolean kms = o.encryption() == EncryptionStatus.SSE_KMS || o.encryption() == EncryptionStatus.DSSE_KMS;
            if (kms && kmsKeyArn.isPresent() && !kmsKeyArn.equals(o.kmsKeyArn())) {
                return false;
            }
            if (o.encryption() == EncryptionStatus.SSE_KMS && bucketKeyEnabled.isPresent()
                    && bucketKeyEnabled.get() != o.bucketKeyEnabled()) {
                return false;
            }
        }
        return storageClasses.isEmpty() || storageClasses.contains(o.storageClass());
    }

    /** The listing prefix a scan can use (the filter still checks every object). */
    public String listingPrefix() {
        return prefix.orElse(null);
    }
}
