package dev.sseproxy.api;

import dev.sseproxy.api.xml.InventoryXml;
import dev.sseproxy.api.xml.InventoryXml.ConfigurationXml;
import dev.sseproxy.api.xml.S3Xml;
import dev.sseproxy.error.S3ErrorCode;
import dev.sseproxy.error.S3Exception;
import dev.sseproxy.inventory.InventoryConfiguration;
import dev.sseproxy.inventory.InventoryConfiguration.Encryption;
import dev.sseproxy.inventory.InventoryField;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The InventoryConfiguration document: reading a PutBucketInventoryConfiguration body with S3's
 * schema (anything outside it, a missing required element, an unknown value or an id that is not 1-64
 * of {@code [A-Za-z0-9._-]}: 400 MalformedXML) and semantic checks (a destination that is not
 * {@code arn:aws:s3:::<bucket>}: 400 InvalidS3DestinationBucket; an id other than the request's:
 * 400 InvalidArgument; ORC / Parquet: 501 NotImplemented, reports are CSV only), and writing it back.
 */
final class InventoryConfigurationCodec {
    static final String ARN = "arn:aws:s3:::";
    static final String ID_MISMATCH = "The Id in the InventoryConfiguration does not match the id in the request.";
    static final String FORMAT_NOT_IMPLEMENTED = "Inventory reports in ORC or Parquet format are not implemented: "
            + "use CSV.";

    private InventoryConfigurationCodec() {
    }

    static InventoryConfiguration parse(byte[] body, String requestId) {
        ConfigurationXml x = S3Xml.read(body, ConfigurationXml.class);
        if (x.id == null || !InventoryConfiguration.validId(x.id.trim()) || x.destination == null
                || x.destination.s3BucketDestination == null || x.schedule == null || x.isEnabled == null) {
            throw S3Exception.malformedXml();
        }
        String id = x.id.trim();
        InventoryXml.S3BucketDestinationXml d = x.destination.s3BucketDestination;
        if (d.bucket == null || d.format == null) {
            throw S3Exception.malformedXml();
        }
        boolean enabled = bool(x.isEnabled);
        String format = d.format.trim();
        if (!Set.of("CSV", "ORC", "Parquet").contains(format)) {
            throw S3Exception.malformedXml();
        }
        boolean allVersions = oneOf(x.includedObjectVersions, "All", "Current").equals("All");
        boolean weekly = oneOf(x.schedule.frequency, "Daily", "Weekly").equals("Weekly");
        Optional<String> account = Optional.ofNullable(d.accountId).map(String::trim).filter(a -> !a.isEmpty());
        if (account.isPresent() && !account.get().matches("\\d{12}")) {
            throw S3Exception.malformedXml();
        }
        Optional<Encryption> encryption = Optional.empty();
        Optional<String> kmsKey = Optional.empty();
        if (d.encryption != null) {
            boolean s3 = d.encryption.sseS3 != null;
            boolean kms = d.encryption.sseKms != null;
            if (s3 == kms || kms && (d.encryption.sseKms.keyId == null || d.encryption.sseKms.keyId.isBlank())) {
                throw S3Exception.malformedXml();
            }
            encryption = Optional.of(s3 ? Encryption.SSE_S3 : Encryption.SSE_KMS);
            kmsKey = kms ? Optional.of(d.encryption.sseKms.keyId.trim()) : Optional.empty();
        }
        if (x.filter != null && x.filter.prefix == null) {
            throw S3Exception.malformedXml();
        }
        List<InventoryField> fields = fields(x.optionalFields);
        String destination = destinationBucket(d.bucket.trim());
        if (requestId != null && !requestId.equals(id)) {
            throw S3Exception.invalidArgument(ID_MISMATCH, "id", requestId);
        }
        if (!format.equals("CSV")) {
            throw S3Exception.notImplemented(FORMAT_NOT_IMPLEMENTED);
        }
        return new InventoryConfiguration(id, enabled, destination, account, d.prefix, encryption, kmsKey,
                x.filter == null ? "" : x.filter.prefix, allVersions, fields, weekly);
    }

    /** The bucket name of an {@code arn:aws:s3:::<bucket>} destination. */
    static String destinationBucket(String arn) {
        if (!arn.startsWith(ARN)) {
            if (arn.startsWith("arn:aws:s3:")) {
                throw S3Exception.of(S3ErrorCode.INVALID_S3_DESTINATION_BUCKET, "Bucket ARN should not specify a namespace.");
            }
            throw S3Exception.of(S3ErrorCode.INVALID_S3_DESTINATION_BUCKET);
        }
        String name = arn.substring(ARN.length());
        try {
            BucketOperations.CreateBucket.checkName(name);
        } catch (S3Exception e) {
            throw S3Exception.of(S3ErrorCode.INVALID_S3_DESTINATION_BUCKET);
        }
        return name;
    }

    private static List<InventoryField> fields(List<String> names) {
        Set<InventoryField> out = new LinkedHashSet<>();
        for (String n : names == null ? List.<String>of() : names) {
            out.add(InventoryField.fromWire(n == null ? "" : n.trim()).orElseThrow(S3Exception::malformedXml));
        }
        return new ArrayList<>(out);
    }

    private static boolean bool(String s) {
        return switch (s.trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw S3Exception.malformedXml();
        };
    }

    private static String oneOf(String s, String a, String b) {
        String t = s == null ? "" : s.trim();
        if (!t.equals(a) && !t.equals(b)) {
            throw S3Exception.malformedXml();
        }
        return t;
    }

    static ConfigurationXml document(InventoryConfiguration c) {
        ConfigurationXml x = new ConfigurationXml();
        x.destination = destination(c);
        x.isEnabled = Boolean.toString(c.enabled());
        x.filter = filter(c);
        x.id = c.id();
        x.includedObjectVersions = c.allVersions() ? "All" : "Current";
        x.optionalFields = c.fields().isEmpty() ? null : c.fields().stream().map(InventoryField::wire).toList();
        x.schedule = schedule(c);
        return x;
    }

    static InventoryXml.ListedConfigurationXml listed(InventoryConfiguration c) {
        InventoryXml.ListedConfigurationXml x = new InventoryXml.ListedConfigurationXml();
        x.destination = destination(c);
        x.isEnabled = Boolean.toString(c.enabled());
        x.filter = filter(c);
        x.id = c.id();
        x.includedObjectVersions = c.allVersions() ? "All" : "Current";
        x.optionalFields = c.fields().isEmpty() ? null : c.fields().stream().map(InventoryField::wire).toList();
        x.schedule = schedule(c);
        return x;
    }

    private static InventoryXml.DestinationXml destination(InventoryConfiguration c) {
        InventoryXml.S3BucketDestinationXml d = new InventoryXml.S3BucketDestinationXml();
        d.accountId = c.destinationAccount().orElse(null);
        d.bucket = c.destinationArn();
        d.format = "CSV";
        d.prefix = c.destinationPrefix().isEmpty() ? null : c.destinationPrefix();
        c.encryption().ifPresent(e -> {
            d.encryption = new InventoryXml.EncryptionXml();
            if (e == Encryption.SSE_S3) {
                d.encryption.sseS3 = "";
            } else {
                d.encryption.sseKms = new InventoryXml.SseKmsXml();
                d.encryption.sseKms.keyId = c.kmsKeyId().orElse("");
            }
        });
        InventoryXml.DestinationXml x = new InventoryXml.DestinationXml();
        x.s3BucketDestination = d;
        return x;
    }

    private static InventoryXml.FilterXml filter(InventoryConfiguration c) {
        if (c.filterPrefix().isEmpty()) {
            return null;
        }
        InventoryXml.FilterXml f = new InventoryXml.FilterXml();
        f.prefix = c.filterPrefix();
        return f;
    }

    private static InventoryXml.ScheduleXml schedule(InventoryConfiguration c) {
        InventoryXml.ScheduleXml s = new InventoryXml.ScheduleXml();
        s.frequency = c.weekly() ? "Weekly" : "Daily";
        return s;
    }
}
