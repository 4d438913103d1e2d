package dev.sseproxy.notify;

import java.util.List;
import java.util.Set;

/**
 * The S3 event types a configuration may name (with their {@code s3:} prefix, as in the XML) and how a
 * wildcard ({@code s3:ObjectCreated:*}) matches. Types S3 defines for features this endpoint has no source
 * for (replication, lifecycle, restore, intelligent-tiering) are accepted, as S3 accepts them, and simply
 * never occur.
 */
public final class EventNames {
    /** Every event name S3 accepts in a configuration. */
    public static final Set<String> SUPPORTED = Set.of("s3:TestEvent", "s3:ObjectCreated:*", "s3:ObjectCreated:Put",
            "s3:ObjectCreated:Post", "s3:ObjectCreated:Copy", "s3:ObjectCreated:CompleteMultipartUpload",
            "s3:ObjectRemoved:*", "s3:ObjectRemoved:Delete", "s3:ObjectRemoved:DeleteMarkerCreated",
            "s3:ObjectRestore:*", "s3:ObjectRestore:Post", "s3:ObjectRestore:Completed", "s3:ObjectRestore:Delete",
            "s3:ReducedRedundancyLostObject", "s3:Replication:*", "s3:Replication:OperationFailedReplication",
            "s3:Replication:OperationNotTracked", "s3:Replication:OperationMissedThreshold",
            "s3:Replication:OperationReplicatedAfterThreshold", "s3:ObjectTagging:*", "s3:ObjectTagging:Put",
            "s3:ObjectTagging:Delete", "s3:ObjectAcl:Put", "s3:LifecycleExpiration:*", "s3:LifecycleExpiration:Delete",
            "s3:LifecycleExpiration:DeleteMarkerCreated", "s3:LifecycleTransition", "s3:IntelligentTiering");

    private EventNames() {
    }

    /** Whether the configured names match an event ({@code ObjectCreated:Put}, without {@code s3:}). */
    public static boolean matchesAny(List<String> configured, String eventName) {
        for (String c : configured) {
            if (matches(c, eventName)) {
                return true;
            }
        }
        return false;
    }

    static boolean matches(String configured, String eventName) {
        if (!configured.startsWith("s3:")) {
            return false;
        }
        String c = configured.substring(3);
        if (c.endsWith(":*")) {
            String family = c.substring(0, c.length() - 1); // "ObjectCreated:"
            return eventName.startsWith(family);
        }
        return c.equals(eventName);
    }

    /** Whether two configured names can match a common event (for S3's overlap rule). */
    public static boolean overlap(String a, String b) {
        String fa = family(a);
        String fb = family(b);
        if (!fa.equals(fb)) {
            return false;
        }
        return a.endsWith(":*") || b.endsWith(":*") || a.equals(b);
    }

    private static String family(String name) {
        int second = name.indexOf(':', 3);
        return second < 0 ? name : name.substring(0, second);
    }
}
