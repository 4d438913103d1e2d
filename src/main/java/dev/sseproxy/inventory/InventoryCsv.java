package dev.sseproxy.inventory;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The rows of an inventory report in S3's CSV format (package documentation, "Reports"): every field
 * in double quotes (a quote inside doubled), comma-separated, one object a line ending in {@code \n},
 * no header row; columns {@code Bucket, Key}, then the version columns when the configuration includes
 * all versions, then the optional fields in S3's order (the {@link InventoryField} order, whatever
 * order the configuration gave them in).
 */
public final class InventoryCsv {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final boolean allVersions;
    private final List<InventoryField> fields;

    public InventoryCsv(InventoryConfiguration c) {
        this.allVersions = c.allVersions();
        Set<InventoryField> set = c.fields().isEmpty() ? EnumSet.noneOf(InventoryField.class) : EnumSet.copyOf(c.fields());
        this.fields = List.copyOf(set);
    }

    /** The manifest's {@code fileSchema}: the column names, comma and space separated. */
    public String schema() {
        List<String> names = new ArrayList<>(List.of("Bucket", "Key"));
        if (allVersions) {
            names.addAll(List.of("VersionId", "IsLatest", "IsDeleteMarker"));
        }
        fields.forEach(f -> names.add(f.wire()));
        return String.join(", ", names);
    }

    /** One object's line, with its trailing newline. */
    public String row(ScannedObject o) {
        StringBuilder b = new StringBuilder(128 + o.key().length() * 3);
        field(b, o.bucket());
        field(b, encodeKey(o.key()));
        if (allVersions) {
            // one version per key: no version id (as S3 writes for an object stored while versioning was off)
            field(b, "");
            field(b, "true");
            field(b, "false");
        }
        for (InventoryField f : fields) {
            field(b, value(f, o));
        }
        b.setCharAt(b.length() - 1, '\n');
        return b.toString();
    }

    static String value(InventoryField f, ScannedObject o) {
        return switch (f) {
            case SIZE -> Long.toString(o.size());
            case LAST_MODIFIED_DATE -> DATE.format(o.lastModified());
            case ETAG -> o.etag() == null ? "" : o.etag();
            case STORAGE_CLASS -> o.storageClass();
            case IS_MULTIPART_UPLOADED -> Boolean.toString(o.multipartUploaded());
            case ENCRYPTION_STATUS -> o.encryption().wire();
            case BUCKET_KEY_STATUS -> o.bucketKeyEnabled() ? "ENABLED" : "DISABLED";
            case KMS_KEY_ARN -> o.kmsKeyArn().orElse("");
            default -> "";
        };
    }

    /**
     * A key as S3 Inventory writes it: URL-encoded in UTF-8, form style (a space is {@code +}, a slash
     * {@code %2F}, only letters, digits and {@code . - * _} stay as they are), so a key with commas,
     * quotes or line breaks stays one field on one line.
     */
    public static String encodeKey(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8);
    }

    private static void field(StringBuilder b, String v) {
        b.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"') {
                b.append('"');
            }
            b.append(c);
        }
        b.append("\",");
    }
}
