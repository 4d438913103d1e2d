package dev.sseproxy.inventory;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;

/**
 * Where a report's objects go and what its {@code manifest.json} says, as S3 writes them (package
 * documentation, "Reports").
 */
public final class InventoryManifest {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter FOLDER = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm'Z'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HIVE = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm").withZone(ZoneOffset.UTC);

    private InventoryManifest() {
    }

    /** One data file as {@code files[]} lists it: its key, size and the MD5 (hex) of its (gzip) bytes. */
    @JsonPropertyOrder({"key", "size", "MD5checksum"})
    public record DataFile(@JsonProperty("key") String key, @JsonProperty("size") long size,
            @JsonProperty("MD5checksum") String md5) {
    }

    @JsonPropertyOrder({"sourceBucket", "destinationBucket", "version", "creationTimestamp", "fileFormat", "fileSchema",
        "files"})
    record Document(String sourceBucket, String destinationBucket, String version, String creationTimestamp,
            String fileFormat, String fileSchema, List<DataFile> files) {
    }

    /** {@code destination-prefix/source-bucket/config-ID/} (no prefix: {@code source-bucket/config-ID/}). */
    public static String base(InventoryConfiguration c, String sourceBucket) {
        String p = c.destinationPrefix();
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return (p.isEmpty() ? "" : p + "/") + sourceBucket + "/" + c.id() + "/";
    }

    /** {@code <base>YYYY-MM-DDTHH-MMZ/}: the folder of a run's manifest, named for the minute the scan began. */
    public static String folder(InventoryConfiguration c, String sourceBucket, Instant started) {
        return base(c, sourceBucket) + FOLDER.format(started) + "/";
    }

    /** {@code <base>data/<uuid>.csv.gz}. */
    public static String dataKey(InventoryConfiguration c, String sourceBucket, String uuid) {
        return base(c, sourceBucket) + "data/" + uuid + ".csv.gz";
    }

    /** {@code <base>hive/dt=YYYY-MM-DD-HH-MM/symlink.txt}: the Apache Hive manifest. */
    public static String symlinkKey(InventoryConfiguration c, String sourceBucket, Instant started) {
        return base(c, sourceBucket) + "hive/dt=" + HIVE.format(started) + "/symlink.txt";
    }

    /** The manifest.json bytes. */
    public static byte[] json(InventoryConfiguration c, String sourceBucket, Instant created, String schema,
            List<DataFile> files) {
        try {
            return JSON.writeValueAsBytes(new Document(sourceBucket, c.destinationArn(), "2016-11-30",
                    Long.toString(created.toEpochMilli()), "CSV", schema, files));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Hive symlink.txt: one {@code s3://bucket/key} line per data file. */
    public static byte[] symlink(String destinationBucket, List<DataFile> files) {
        StringBuilder b = new StringBuilder();
        files.forEach(f -> b.append("s3://").append(destinationBucket).append('/').append(f.key()).append('\n'));
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Lower-case hex MD5 (manifest.checksum is the MD5 of manifest.json; files[] carry each file's). */
    public static String md5Hex(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
