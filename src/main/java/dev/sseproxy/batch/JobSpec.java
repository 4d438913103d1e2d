package dev.sseproxy.batch;

import dev.sseproxy.error.S3Exception;
import dev.sseproxy.inventory.EncryptionStatus;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.w3c.dom.Element;

/**
 * A CreateJob request, parsed and checked (package documentation, "CreateJob"). Invalid input is
 * a 400 {@code InvalidRequest} naming the field; an operation other than {@code S3PutObjectCopy} and
 * {@code S3PutObjectTagging} (S3ReplaceObjectTagging) is a 400 {@code InvalidRequest} too.
 */
public record JobSpec(boolean confirmationRequired, int priority, String roleArn, Optional<String> description,
        String clientRequestToken, Operation operation, Optional<Manifest> manifest, Optional<Generator> generator,
        Report report) {

    /** What each task does. */
    public sealed interface Operation permits Copy, Tagging {
        String name();
    }

    /**
     * S3PutObjectCopy onto the object itself: {@code sseAlgorithm} {@code AES256} or {@code KMS} (empty:
     * the bucket's default), the KMS key and bucket-key flag.
     */
    public record Copy(String targetBucket, Optional<String> sseAlgorithm, Optional<String> kmsKeyId,
            Optional<Boolean> bucketKeyEnabled) implements Operation {
        public String name() {
            return "S3PutObjectCopy";
        }
    }

    /** S3PutObjectTagging (the console's "Replace all object tags"): the new tag set. */
    public record Tagging(List<Map.Entry<String, String>> tags) implements Operation {
        public String name() {
            return "S3PutObjectTagging";
        }
    }

    public static final String CSV = "S3BatchOperations_CSV_20180820";
    public static final String INVENTORY = "S3InventoryReport_CSV_20161130";

    /** A manifest object: its format, CSV fields, where it is and the ETag it must have. */
    public record Manifest(String format, List<String> fields, String bucket, String key, Optional<String> versionId,
            String etag) {
    }

    /** S3JobManifestGenerator: the objects of {@code sourceBucket} that {@code filter} keeps. */
    public record Generator(String sourceBucket, Optional<String> expectedBucketOwner, boolean enableOutput,
            Optional<String> outputBucket, Optional<String> outputPrefix, Optional<String> outputKmsKey,
            ManifestFilter filter) {
    }

    /** The completion report: written when enabled, to {@code bucket} under {@code prefix}. */
    public record Report(boolean enabled, Optional<String> bucket, Optional<String> prefix, boolean failedOnly) {
    }

    public static JobSpec parse(byte[] body) {
        Element root = Xml.parse(body);
        if (!"CreateJobRequest".equals(Xml.name(root))) {
            throw S3Exception.malformedXml();
        }
        String token = Xml.text(root, "ClientRequestToken").orElseThrow(() -> invalid("ClientRequestToken is required"));
        if (token.isEmpty() || token.length() > 64) {
            throw invalid("ClientRequestToken must be 1 to 64 characters");
        }
        int priority = Xml.text(root, "Priority").map(p -> intIn(p, "Priority", 0, Integer.MAX_VALUE))
                .orElseThrow(() -> invalid("Priority is required"));
        String role = Xml.text(root, "RoleArn").orElseThrow(() -> invalid("RoleArn is required"));
        Optional<String> description = Xml.text(root, "Description");
        if (description.isPresent() && (description.get().isEmpty() || description.get().length() > 256)) {
            throw invalid("Description must be 1 to 256 characters");
        }
        boolean confirm = Xml.text(root, "ConfirmationRequired").map(Boolean::parseBoolean).orElse(false);
        Operation op = operation(Xml.child(root, "Operation").orElseThrow(() -> invalid("Operation is required")));
        Optional<Manifest> manifest = Xml.child(root, "Manifest").map(JobSpec::manifest);
        Optional<Generator> generator = Xml.child(root, "ManifestGenerator").map(JobSpec::generator);
        if (manifest.isPresent() == generator.isPresent()) {
            throw invalid("Exactly one of Manifest and ManifestGenerator must be specified");
        }
        Report report = report(Xml.child(root, "Report").orElseThrow(() -> invalid("Report is required")));
        return new JobSpec(confirm, priority, role, description, token, op, manifest, generator, report);
    }

    /** The role must be an IAM role ARN of the job's own account (sse-proxy has no roles: it is recorded). */
    public void checkRole(String account) {
        String[] p = roleArn.split(":", 6);
        if (p.length != 6 || !"arn".equals(p[0]) || !"iam".equals(p[2]) || !p[5].startsWith("role/") || p[5].length() < 6) {
            throw invalid("RoleArn must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)");
        }
        if (!account.equals(p[4])) {
            throw invalid("RoleArn must name a role of account " + account);
        }
    }

    private static Operation operation(Element op) {
        List<Element> kinds = Xml.children(op);
        if (kinds.size() != 1) {
            throw invalid("Operation must specify exactly one operation");
        }
        Element k = kinds.get(0);
        switch (Xml.name(k)) {
            case "S3PutObjectCopy" -> {
                String target = bucketOfArn(Xml.text(k, "TargetResource").orElseThrow(
                        () -> invalid("S3PutObjectCopy.TargetResource is required")), "TargetResource");
                if (Xml.child(k, "TargetKeyPrefix").isPresent()) {
                    throw invalid("S3PutObjectCopy.TargetKeyPrefix is not supported: objects are copied onto themselves");
                }
                String directive = Xml.text(k, "MetadataDirective").orElse("COPY");
                if (!"COPY".equals(directive)) {
                    throw invalid("S3PutObjectCopy.MetadataDirective must be COPY: metadata is kept");
                }
                Optional<String> storage = Xml.text(k, "StorageClass");
                if (storage.isPresent() && !"STANDARD".equals(storage.get())) {
                    throw invalid("S3PutObjectCopy.StorageClass must be STANDARD");
                }
                for (String unsupported : List.of("AccessControlGrants", "CannedAccessControlList", "NewObjectTagging",
                        "RedirectLocation", "ObjectLockMode", "ObjectLockLegalHoldStatus", "ObjectLockRetainUntilDate",
                        "ModifiedSinceConstraint", "UnModifiedSinceConstraint", "ChecksumAlgorithm")) {
                    if (Xml.child(k, unsupported).isPresent()) {
                        throw invalid("S3PutObjectCopy." + unsupported + " is not supported by this endpoint");
                    }
                }
                Optional<Element> meta = Xml.child(k, "NewObjectMetadata");
                Optional<String> algorithm = meta.flatMap(m -> Xml.text(m, "SSEAlgorithm"));
                if (algorithm.isPresent() && !Set.of("AES256", "KMS").contains(algorithm.get())) {
                    throw invalid("NewObjectMetadata.SSEAlgorithm must be AES256 or KMS");
                }
                Optional<String> kmsKey = Xml.text(k, "SSEAwsKmsKeyId").filter(s -> !s.isEmpty());
                if (kmsKey.isPresent() && !algorithm.orElse("").equals("KMS")) {
                    throw invalid("SSEAwsKmsKeyId requires NewObjectMetadata.SSEAlgorithm KMS");
                }
                Optional<Boolean> bucketKey = Xml.text(k, "BucketKeyEnabled").map(Boolean::parseBoolean);
                return new Copy(target, algorithm, kmsKey, bucketKey);
            }
            case "S3PutObjectTagging" -> {
                List<Map.Entry<String, String>> tags = new ArrayList<>();
                for (Element t : Xml.members(k, "TagSet")) {
                    String key = Xml.text(t, "Key").orElseThrow(() -> invalid("a tag needs a Key"));
                    String value = Xml.text(t, "Value").orElse("");
                    if (key.isEmpty() || key.length() > 128 || value.length() > 256) {
                        throw invalid("a tag key must be 1 to 128 characters and a value at most 256");
                    }
                    tags.add(Map.entry(key, value));
                }
                if (tags.size() > 10) {
                    throw invalid("Object tags cannot be greater than 10");
                }
                return new Tagging(List.copyOf(tags));
            }
            default -> throw invalid("Operation " + Xml.name(k)
                    + " is not supported by this endpoint (supported: S3PutObjectCopy, S3PutObjectTagging)");
        }
    }

    private static Manifest manifest(Element m) {
        Element spec = Xml.child(m, "Spec").orElseThrow(() -> invalid("Manifest.Spec is required"));
        String format = Xml.text(spec, "Format").orElseThrow(() -> invalid("Manifest.Spec.Format is required"));
        List<String> fields = Xml.memberTexts(spec, "Fields");
        if (CSV.equals(format)) {
            if (!fields.contains("Bucket") || !fields.contains("Key")) {
                throw invalid("Manifest.Spec.Fields must contain Bucket and Key for " + CSV);
            }
            for (String f : fields) {
                if (!Set.of("Ignore", "Bucket", "Key", "VersionId").contains(f)) {
                    throw invalid("Manifest.Spec.Fields: unknown field " + f);
                }
            }
        } else if (INVENTORY.equals(format)) {
            if (!fields.isEmpty()) {
                throw invalid("Manifest.Spec.Fields must not be given for " + INVENTORY);
            }
        } else {
            throw invalid("Manifest.Spec.Format must be " + CSV + " or " + INVENTORY);
        }
        Element loc = Xml.child(m, "Location").orElseThrow(() -> invalid("Manifest.Location is required"));
        String arn = Xml.text(loc, "ObjectArn").orElseThrow(() -> invalid("Manifest.Location.ObjectArn is required"));
        String etag = Xml.text(loc, "ETag").orElseThrow(() -> invalid("Manifest.Location.ETag is required"));
        String path = arnResource(arn, "ObjectArn");
        int slash = path.indexOf('/');
        if (slash <= 0 || slash == path.length() - 1) {
            throw invalid("Manifest.Location.ObjectArn must be an object ARN (arn:aws:s3:::<bucket>/<key>)");
        }
        return new Manifest(format, fields, path.substring(0, slash), path.substring(slash + 1),
                Xml.text(loc, "ObjectVersionId").filter(v -> !v.isEmpty()), unquote(etag));
    }

    private static Generator generator(Element g) {
        Element s = Xml.child(g, "S3JobManifestGenerator")
                .orElseThrow(() -> invalid("ManifestGenerator.S3JobManifestGenerator is required"));
        String source = bucketOfArn(Xml.text(s, "SourceBucket")
                .orElseThrow(() -> invalid("S3JobManifestGenerator.SourceBucket is required")), "SourceBucket");
        boolean output = Xml.text(s, "EnableManifestOutput").map(Boolean::parseBoolean)
                .orElseThrow(() -> invalid("S3JobManifestGenerator.EnableManifestOutput is required"));
        Optional<Element> out = Xml.child(s, "ManifestOutputLocation");
        if (output && out.isEmpty()) {
            throw invalid("ManifestOutputLocation is required when EnableManifestOutput is true");
        }
        Optional<String> outBucket = out.map(o -> bucketOfArn(Xml.text(o, "Bucket")
                .orElseThrow(() -> invalid("ManifestOutputLocation.Bucket is required")), "ManifestOutputLocation.Bucket"));
        Optional<String> outPrefix = out.flatMap(o -> Xml.text(o, "ManifestPrefix"));
        Optional<String> outKms = out.flatMap(o -> Xml.child(o, "ManifestEncryption"))
                .flatMap(e -> Xml.child(e, "SSE-KMS").or(() -> Xml.child(e, "SSEKMS"))).flatMap(k -> Xml.text(k, "KeyId"));
        ManifestFilter filter = Xml.child(s, "Filter").map(JobSpec::filter).orElse(ManifestFilter.ALL);
        return new Generator(source, Xml.text(s, "ExpectedBucketOwner"), output, outBucket, outPrefix, outKms, filter);
    }

    static ManifestFilter filter(Element f) {
        Optional<Instant> after = Xml.text(f, "CreatedAfter").map(t -> instant(t, "CreatedAfter"));
        Optional<Instant> before = Xml.text(f, "CreatedBefore").map(t -> instant(t, "CreatedBefore"));
        Optional<Element> names = Xml.child(f, "KeyNameConstraint");
        List<String> prefixes = names.map(n -> Xml.memberTexts(n, "MatchAnyPrefix")).orElse(List.of());
        List<String> suffixes = names.map(n -> Xml.memberTexts(n, "MatchAnySuffix")).orElse(List.of());
        List<String> substrings = names.map(n -> Xml.memberTexts(n, "MatchAnySubstring")).orElse(List.of());
        for (List<String> l : List.of(prefixes, suffixes, substrings)) {
            if (l.size() > 1 || l.stream().anyMatch(s -> s.isEmpty() || s.length() > 1024)) {
                throw invalid("Each KeyNameConstraint filter accepts an array of strings with a length of 1 string");
            }
        }
        Optional<Long> greater = Xml.text(f, "ObjectSizeGreaterThanBytes").map(v -> longOf(v, "ObjectSizeGreaterThanBytes"));
        Optional<Long> less = Xml.text(f, "ObjectSizeLessThanBytes").map(v -> longOf(v, "ObjectSizeLessThanBytes"));
        Set<EncryptionStatus> enc = EnumSet.noneOf(EncryptionStatus.class);
        Optional<String> kmsKeyArn = Optional.empty();
        Optional<Boolean> bucketKey = Optional.empty();
        List<Element> encryptions = Xml.members(f, "MatchAnyObjectEncryption");
        if (encryptions.size() > 1) {
            throw invalid("MatchAnyObjectEncryption accepts exactly one ObjectEncryption filter");
        }
        for (Element oe : encryptions) {
            for (Element kind : Xml.children(oe)) {
                EncryptionStatus status = switch (Xml.name(kind)) {
                    case "NOT-SSE", "NOTSSE" -> EncryptionStatus.NOT_SSE;
                    case "SSE-S3", "SSES3" -> EncryptionStatus.SSE_S3;
                    case "SSE-KMS", "SSEKMS" -> EncryptionStatus.SSE_KMS;
                    case "DSSE-KMS", "DSSEKMS" -> EncryptionStatus.DSSE_KMS;
                    case "SSE-C", "SSEC" -> EncryptionStatus.SSE_C;
                    default -> throw invalid("MatchAnyObjectEncryption: unknown encryption " + Xml.name(kind));
                };
                enc.add(status);
                if (status == EncryptionStatus.SSE_KMS || status == EncryptionStatus.DSSE_KMS) {
                    kmsKeyArn = Xml.text(kind, "KmsKeyArn").filter(s -> !s.isEmpty());
                    if (status == EncryptionStatus.SSE_KMS) {
                        bucketKey = Xml.text(kind, "BucketKeyEnabled").map(Boolean::parseBoolean);
                    }
                }
            }
        }
        List<String> classes = Xml.memberTexts(f, "MatchAnyStorageClass");
        if (Xml.child(f, "EligibleForReplication").isPresent() || Xml.child(f, "ObjectReplicationStatuses").isPresent()) {
            throw invalid("Replication filters are not supported by this endpoint");
        }
        return new ManifestFilter(after, before, prefixes.stream().findFirst(), suffixes.stream().findFirst(),
                substrings.stream().findFirst(), greater, less, enc, kmsKeyArn, bucketKey, Set.copyOf(classes));
    }

    private static Report report(Element r) {
        boolean enabled = Xml.text(r, "Enabled").map(Boolean::parseBoolean)
                .orElseThrow(() -> invalid("Report.Enabled is required"));
        if (!enabled) {
            return new Report(false, Optional.empty(), Optional.empty(), false);
        }
        String bucket = bucketOfArn(Xml.text(r, "Bucket").orElseThrow(() -> invalid("Report.Bucket is required")),
                "Report.Bucket");
        String format = Xml.text(r, "Format").orElseThrow(() -> invalid("Report.Format is required"));
        if (!"Report_CSV_20180820".equals(format)) {
            throw invalid("Report.Format must be Report_CSV_20180820");
        }
        String scope = Xml.text(r, "ReportScope").orElseThrow(() -> invalid("Report.ReportScope is required"));
        if (!Set.of("AllTasks", "FailedTasksOnly").contains(scope)) {
            throw invalid("Report.ReportScope must be AllTasks or FailedTasksOnly");
        }
        return new Report(true, Optional.of(bucket), Xml.text(r, "Prefix").filter(p -> !p.isEmpty()),
                "FailedTasksOnly".equals(scope));
    }

    /** The bucket of a bucket ARN {@code arn:aws:s3:::<bucket>}. */
    static String bucketOfArn(String arn, String field) {
        String b = arnResource(arn, field);
        if (b.isEmpty() || b.contains("/")) {
            throw invalid(field + " must be a bucket ARN (arn:aws:s3:::<bucket>)");
        }
        return b;
    }

    private static String arnResource(String arn, String field) {
        String[] p = arn.split(":", 6);
        if (p.length != 6 || !"arn".equals(p[0]) || !"s3".equals(p[2])) {
            throw invalid(field + " is not a valid S3 ARN: " + arn);
        }
        return p[5];
    }

    static String unquote(String etag) {
        String t = etag.trim();
        return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
    }

    private static int intIn(String v, String field, int min, int max) {
        try {
            int i = Integer.parseInt(v);
            if (i < min || i > max) {
                throw invalid(field + " must be between " + min + " and " + max);
            }
            return i;
        } catch (NumberFormatException e) {
            throw invalid(field + " must be an integer");
        }
    }

    private static long longOf(String v, String field) {
        try {
            long l = Long.parseLong(v);
            if (l < 0) {
                throw invalid(field + " must not be negative");
            }
            return l;
        } catch (NumberFormatException e) {
            throw invalid(field + " must be an integer");
        }
    }

    private static Instant instant(String v, String field) {
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            try {
                return java.time.OffsetDateTime.parse(v).toInstant();
            } catch (DateTimeParseException x) {
                throw invalid(field + " must be an ISO 8601 timestamp");
            }
        }
    }

    static S3Exception invalid(String message) {
        return S3Exception.invalidRequest(message);
    }
}
