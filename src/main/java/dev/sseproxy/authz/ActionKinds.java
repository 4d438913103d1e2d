package dev.sseproxy.authz;

import java.util.List;
import java.util.Locale;

/**
 * Which kind of S3 resource an action applies to, as far as S3's PutBucketPolicy check "Action does not
 * apply to any resource(s) in statement" needs it (e.g. {@code s3:PutObject} on the bucket's ARN alone):
 * object actions ({@code s3:GetObject}, {@code s3:PutObject}, ... and the multipart ones), bucket actions
 * (those naming a bucket or a bucket configuration), and others (wildcards, unknown names), which are
 * never refused.
 */
final class ActionKinds {
    private static final List<String> OBJECT_PREFIXES = List.of("getobject", "putobject", "deleteobject",
            "restoreobject", "replicateobject", "replicatedelete", "replicatetags", "abortmultipartupload",
            "listmultipartuploadparts", "bypassgovernanceretention", "initiatereplication");

    private ActionKinds() {
    }

    private enum Kind { OBJECT, BUCKET, ANY }

    private static Kind of(String action) {
        String a = action.toLowerCase(Locale.ROOT);
        if (a.indexOf('*') >= 0 || a.indexOf('?') >= 0 || !a.startsWith("s3:")) {
            return Kind.ANY;
        }
        String name = a.substring(3);
        for (String p : OBJECT_PREFIXES) {
            if (name.startsWith(p)) {
                return Kind.OBJECT;
            }
        }
        if (name.contains("bucket") || name.endsWith("configuration")) {
            return name.equals("listallmybuckets") ? Kind.ANY : Kind.BUCKET;
        }
        return Kind.ANY;
    }

    /** Whether some action can apply to some resource (policy text, variables unresolved) of a statement. */
    static boolean anyApplies(List<String> actions, List<String> resources, String bucketArn) {
        boolean bucket = false;
        boolean object = false;
        for (String r : resources) {
            int slash = r.indexOf('/');
            bucket |= slash < 0 && Wildcard.matches(r, bucketArn);
            object |= slash >= 0 || r.indexOf('*') >= 0;
        }
        for (String a : actions) {
            Kind k = of(a);
            if (k == Kind.ANY || (k == Kind.BUCKET && bucket) || (k == Kind.OBJECT && object)) {
                return true;
            }
        }
        return false;
    }
}
