package dev.sseproxy.batch;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Rows of a CSV manifest ({@code S3BatchOperations_CSV_20180820}) or of an inventory report's CSV data
 * file, parsed a line at a time: fields may be double-quoted (a doubled quote inside is a quote);
 * {@code Fields} names the columns ({@code Bucket}, {@code Key}, {@code VersionId}, {@code Ignore});
 * keys are URL-encoded in the manifest (percent-decoded here; a {@code +} stays a plus). Empty lines
 * are skipped. A malformed row fails the job's preparation with the row's line number.
 */
public final class CsvManifest {
    /** One task's object. */
    public record Row(String bucket, String key, Optional<String> versionId) {
    }

    private final int bucketColumn;
    private final int keyColumn;
    private final int versionColumn;

    public CsvManifest(List<String> fields) {
        this.bucketColumn = fields.indexOf("Bucket");
        this.keyColumn = fields.indexOf("Key");
        this.versionColumn = fields.indexOf("VersionId");
    }

    /** The row of one line (null for an empty line); {@code line} numbers errors. */
    public Row row(String text, long line) {
        if (text.isBlank()) {
            return null;
        }
        List<String> cells = cells(text, line);
        int need = Math.max(bucketColumn, Math.max(keyColumn, versionColumn));
        if (cells.size() <= need) {
            throw invalidRow(line, "expected at least " + (need + 1) + " fields, found " + cells.size());
        }
        String bucket = cells.get(bucketColumn).trim();
        String key = decode(cells.get(keyColumn), line);
        if (bucket.isEmpty() || key.isEmpty()) {
            throw invalidRow(line, "bucket and key must not be empty");
        }
        Optional<String> version = versionColumn < 0 ? Optional.empty()
                : Optional.of(cells.get(versionColumn).trim()).filter(v -> !v.isEmpty());
        return new Row(bucket, key, version);
    }

    static List<String> cells(String text, long line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cur.append(c);
                }
            } else if (c == '"' && cur.length() == 0 && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
                wasQuoted = false;
            } else if (c != '\r') {
                cur.append(c);
            }
        }
        if (quoted) {
            throw invalidRow(line, "unterminated quoted field");
        }
        out.add(cur.toString());
        return out;
    }

    /** Percent-decoding (UTF-8); {@code +} is left as it is. */
    static String decode(String s, long line) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw invalidRow(line, "bad percent-encoding in key");
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw invalidRow(line, "bad percent-encoding in key");
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                    b = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                out.writeBytes(b);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A job's preparation failure: the manifest is unreadable. */
    public static final class InvalidManifest extends RuntimeException {
        private final String code;

        public InvalidManifest(String code, String message) {
            super(message);
            this.code = code;
        }

        /** The job's FailureCode. */
        public String code() {
            return code;
        }
    }

    static InvalidManifest invalidRow(long line, String why) {
        return new InvalidManifest("InvalidManifestContent", "Reading the manifest failed at line " + line + ": " + why);
    }

}
