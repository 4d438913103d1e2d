package dev.sseproxy.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.zip.GZIPOutputStream;

/**
 * CloudTrail log files: the object key layout and the gzipped {@code {"Records":[...]}} body. The
 * records are the stored CloudTrail JSON texts, written as they are (never parsed and re-serialised),
 * so a delivered record is byte for byte what LookupEvents returns as {@code CloudTrailEvent}.
 */
final class LogFiles {
    /** As CloudTrail names them: {@code application/json} content, {@code gzip} encoded, {@code .json.gz}. */
    static final String CONTENT_TYPE = "application/json";
    static final String CONTENT_ENCODING = "gzip";

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'")
            .withZone(ZoneOffset.UTC);
    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final byte[] HEAD = "{\"Records\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TAIL = "]}".getBytes(StandardCharsets.US_ASCII);
    private static final JsonFactory JSON = new JsonFactory();

    private LogFiles() {
    }

    /**
     * {@code [<prefix>/]AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<unique>.json.gz},
     * dated {@code at} (UTC). Slashes around the prefix are dropped; a blank prefix is none.
     */
    static String key(Optional<String> prefix, String account, String region, Instant at, String unique) {
        String p = prefix.map(s -> s.replaceAll("^/+|/+$", "")).filter(s -> !s.isBlank()).map(s -> s + "/").orElse("");
        return p + "AWSLogs/" + account + "/CloudTrail/" + region + "/" + DAY.format(at) + "/" + account
                + "_CloudTrail_" + region + "_" + STAMP.format(at) + "_" + unique + ".json.gz";
    }

    /** 16 random letters and digits: the unique part of a file name. */
    static String unique(RandomGenerator random) {
        StringBuilder sb = new StringBuilder(16);
        for (int i = 0; i < 16; i++) {
            sb.append(ALNUM.charAt(random.nextInt(ALNUM.length())));
        }
        return sb.toString();
    }

    /**
     * A record's top-level {@code awsRegion}, or {@code fallback} when it has none (or is not a JSON
     * object). Reads only up to that member: a streaming parse, not a tree.
     */
    static String region(String record, String fallback) {
        try (JsonParser p = JSON.createParser(record)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return fallback;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("awsRegion".equals(name)) {
                    return value == JsonToken.VALUE_STRING ? p.getText() : fallback;
                }
                p.skipChildren();
            }
            return fallback;
        } catch (IOException e) {
            return fallback;
        }
    }

    /** The gzipped log file holding these records (each a JSON object's text), in this order. */
    static byte[] gzip(List<String> records) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes, 64 * 1024)) {
            gz.write(HEAD);
            for (int i = 0; i < records.size(); i++) {
                if (i > 0) {
                    gz.write(',');
                }
                gz.write(records.get(i).getBytes(StandardCharsets.UTF_8));
            }
            gz.write(TAIL);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }
}
