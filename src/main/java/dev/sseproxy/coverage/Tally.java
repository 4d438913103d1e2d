package dev.sseproxy.coverage;

import dev.sseproxy.inventory.EncryptionStatus;
import dev.sseproxy.inventory.ScannedObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Objects and bytes (plaintext sizes) of a bucket, or of all buckets: in all, by encryption status
 * (every status present, zeros included) and by KMS key ARN and bucket-key flag (SSE-KMS and
 * DSSE-KMS objects).
 */
public record Tally(long objects, long bytes, Map<EncryptionStatus, Count> byStatus, List<KeyUsage> byKmsKey) {

    /** A number of objects and their bytes. */
    public record Count(long objects, long bytes) {
        public static final Count ZERO = new Count(0, 0);

        Count plus(long objects, long bytes) {
            return new Count(this.objects + objects, this.bytes + bytes);
        }
    }

    /** The objects under one KMS key, with or without an S3 Bucket Key. */
    public record KeyUsage(String keyArn, boolean bucketKey, long objects, long bytes) {
    }

    public Tally {
        Map<EncryptionStatus, Count> all = new EnumMap<>(EncryptionStatus.class);
        for (EncryptionStatus s : EncryptionStatus.values()) {
            all.put(s, byStatus.getOrDefault(s, Count.ZERO));
        }
        byStatus = Collections.unmodifiableMap(all);
        byKmsKey = List.copyOf(byKmsKey);
    }

    public static final Tally EMPTY = new Tally(0, 0, Map.of(), List.of());

    /** The objects and bytes that are encrypted at rest (every status but NOT-SSE). */
    public Count encrypted() {
        Count c = Count.ZERO;
        for (Map.Entry<EncryptionStatus, Count> e : byStatus.entrySet()) {
            if (e.getKey().encrypted()) {
                c = c.plus(e.getValue().objects(), e.getValue().bytes());
            }
        }
        return c;
    }

    /** The sum of several tallies (the totals of a snapshot). */
    public static Tally sum(Iterable<Tally> tallies) {
        Builder b = new Builder();
        for (Tally t : tallies) {
            b.objects += t.objects;
            b.bytes += t.bytes;
            t.byStatus.forEach((s, c) -> b.byStatus.merge(s, c, (x, y) -> x.plus(y.objects(), y.bytes())));
            for (KeyUsage k : t.byKmsKey) {
                b.byKey.merge(new KeyId(k.keyArn(), k.bucketKey()), new Count(k.objects(), k.bytes()),
                        (x, y) -> x.plus(y.objects(), y.bytes()));
            }
        }
        return b.build();
    }

    private record KeyId(String arn, boolean bucketKey) {
    }

    /**
     * Counts objects as they are scanned, a page at a time: it holds numbers only, never an object
     * (memory is one entry per status and per KMS key in use, whatever the bucket's size).
     */
    public static final class Builder {
        private long objects;
        private long bytes;
        private final Map<EncryptionStatus, Count> byStatus = new EnumMap<>(EncryptionStatus.class);
        private final Map<KeyId, Count> byKey = new TreeMap<>(Comparator.comparing(KeyId::arn)
                .thenComparing(KeyId::bucketKey));

        /** Counts one page of a scan. */
        public Builder add(List<ScannedObject> page) {
            for (ScannedObject o : page) {
                add(o);
            }
            return this;
        }

        public Builder add(ScannedObject o) {
            objects++;
            bytes += o.size();
            byStatus.merge(o.encryption(), new Count(1, o.size()), (x, y) -> x.plus(1, o.size()));
            o.kmsKeyArn().filter(a -> !a.isEmpty()).ifPresent(arn -> byKey.merge(
                    new KeyId(arn, o.bucketKeyEnabled()), new Count(1, o.size()), (x, y) -> x.plus(1, o.size())));
            return this;
        }

        public Tally build() {
            List<KeyUsage> keys = new ArrayList<>(byKey.size());
            byKey.forEach((k, c) -> keys.add(new KeyUsage(k.arn(), k.bucketKey(), c.objects(), c.bytes())));
            return new Tally(objects, bytes, byStatus, keys);
        }
    }
}
