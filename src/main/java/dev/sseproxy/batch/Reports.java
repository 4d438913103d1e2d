package dev.sseproxy.batch;

import dev.sseproxy.catalog.BatchJobRows;
import dev.sseproxy.cluster.Leases;
import dev.sseproxy.sse.InternalWrites;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

/**
 * Completion reports and generated-manifest output (package documentation, "Completion reports"),
 * written through {@link InternalWrites#putServiceObject} (so encrypted, under the destination's
 * default encryption) as the job's account's own writes ({@code ownerMayWrite}). File names are derived
 * from the job id, so a report rewritten by a resumed run replaces the same objects.
 */
final class Reports {
    static final String SERVICE = "batchoperations.s3.amazonaws.com";
    static final String SCHEMA = "Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage";
    static final int PAGE = 1000;

    private Reports() {
    }

    /** The report of a finished or cancelled job, when one is asked for and at least one task ran. */
    static Uni<Void> write(BatchRunner runner, BatchJobStore.Job j, Leases.Lease lease) {
        JobSpec spec = JobSpec.parse(j.requestXml().getBytes(StandardCharsets.UTF_8));
        JobSpec.Report r = spec.report();
        if (!r.enabled()) {
            return Uni.createFrom().voidItem();
        }
        return runner.store().progress(j.id()).chain(p -> {
            if (p.succeeded() + p.failed() == 0) {
                return Uni.createFrom().voidItem();
            }
            String base = r.prefix().map(x -> x.endsWith("/") ? x : x + "/").orElse("") + "job-" + j.id() + "/";
            String bucket = r.bucket().orElseThrow();
            List<JsonObject> results = new ArrayList<>();
            Uni<Void> files = r.failedOnly() ? Uni.createFrom().voidItem()
                    : files(runner, j, bucket, base, "SUCCEEDED", "succeeded", results);
            return files.chain(() -> files(runner, j, bucket, base, "FAILED", "failed", results)).chain(() -> {
                JsonObject manifest = new JsonObject().put("Format", "Report_CSV_20180820")
                        .put("ReportCreationDate", Instant.now().toString()).put("Results", new JsonArray(results))
                        .put("ReportSchema", SCHEMA);
                return put(runner, j, bucket, base + "manifest.json", manifest.encode().getBytes(StandardCharsets.UTF_8),
                        "application/json").replaceWithVoid();
            });
        });
    }

    /** The result files of the tasks in {@code state}, {@code reportRowsPerFile} rows each. */
    private static Uni<Void> files(BatchRunner runner, BatchJobStore.Job j, String bucket, String base, String state,
            String wire, List<JsonObject> results) {
        int perFile = Math.max(1, runner.config().reportRowsPerFile());
        return file(runner, j, bucket, base, state, wire, results, 0L, 0, perFile);
    }

    private static Uni<Void> file(BatchRunner runner, BatchJobStore.Job j, String bucket, String base, String state,
            String wire, List<JsonObject> results, long after, int index, int perFile) {
        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        long[] last = {after};
        int[] rows = {0};
        return fill(runner, j.id(), state, csv, last, rows, perFile).chain(more -> {
            if (rows[0] == 0) {
                return Uni.createFrom().voidItem();
            }
            String key = base + "results/" + UUID.nameUUIDFromBytes((j.id() + "/" + state + "/" + index)
                    .getBytes(StandardCharsets.UTF_8)) + ".csv";
            byte[] body = csv.toByteArray();
            return put(runner, j, bucket, key, body, "text/csv").chain(() -> {
                results.add(new JsonObject().put("TaskExecutionStatus", wire).put("Bucket", bucket)
                        .put("MD5Checksum", md5(body)).put("Key", key));
                return more ? file(runner, j, bucket, base, state, wire, results, last[0], index + 1, perFile)
                        : Uni.createFrom().voidItem();
            });
        });
    }

    /** Appends rows until the file is full (true: more may follow) or the tasks end (false). */
    private static Uni<Boolean> fill(BatchRunner runner, String id, String state, ByteArrayOutputStream csv, long[] last,
            int[] rows, int perFile) {
        int want = Math.min(PAGE, perFile - rows[0]);
        return runner.store().tasksIn(id, state, last[0], want).chain(tasks -> {
            for (BatchJobRows.Task t : tasks) {
                csv.writeBytes(row(t).getBytes(StandardCharsets.UTF_8));
                last[0] = t.seq();
                rows[0]++;
            }
            if (tasks.size() < want) {
                return Uni.createFrom().item(false);
            }
            return rows[0] >= perFile ? Uni.createFrom().item(true) : fill(runner, id, state, csv, last, rows, perFile);
        });
    }

    /**
     * One report row as S3 writes it: bucket, URL-encoded key, version id, {@code succeeded|failed}, then
     * the HTTP status code, the error code and the result message (S3's rows put the status before the
     * error code although the ReportSchema line names them the other way round).
     */
    static String row(BatchJobRows.Task t) {
        boolean ok = "SUCCEEDED".equals(t.state());
        return csv(t.bucket()) + "," + csv(encodeKey(t.key())) + "," + csv(t.versionId()) + "," + (ok ? "succeeded" : "failed")
                + "," + (t.httpStatus() == null ? "" : t.httpStatus()) + "," + csv(t.errorCode()) + ","
                + csv(t.resultMessage()) + "\n";
    }

    static String csv(String v) {
        if (v == null) {
            return "";
        }
        if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0) {
            return v;
        }
        return "\"" + v.replace("\"", "\"\"") + "\"";
    }

    /** Percent-encoding of a key as manifests and reports carry it (unreserved characters and '/' kept). */
    static String encodeKey(String key) {
        StringBuilder b = new StringBuilder();
        for (byte x : key.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~' || c == '/') {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return b.toString();
    }

    private static Uni<InternalWrites.Copied> put(BatchRunner runner, BatchJobStore.Job j, String bucket, String key,
            byte[] body, String type) {
        return runner.writes().putServiceObject(SERVICE, j.accountId(), runner.jobArn(j), true, bucket, key, body, type,
                InternalWrites.Encryption.bucketDefault());
    }

    static String md5(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * EnableManifestOutput: the generated manifest in {@code S3InventoryReport_CSV_20211130} form, a
     * {@code manifest.json} and one gzipped CSV data file ({@code "bucket","key"} rows) under
     * {@code <ManifestPrefix>/job-<id>/}, and the job's GeneratedManifestDescriptor naming it.
     */
    static Uni<Void> generatedManifest(BatchRunner runner, BatchJobStore.Job j, JobSpec.Generator g, Leases.Lease lease) {
        String bucket = g.outputBucket().orElseThrow();
        String base = g.outputPrefix().map(x -> x.endsWith("/") ? x : x + "/").orElse("") + "job-" + j.id() + "/";
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        long[] last = {0};
        return collect(runner, j.id(), raw, last).chain(() -> {
            byte[] gz = gzip(raw.toByteArray());
            String dataKey = base + "data/" + UUID.nameUUIDFromBytes((j.id() + "/manifest").getBytes(StandardCharsets.UTF_8))
                    + ".csv.gz";
            return put(runner, j, bucket, dataKey, gz, "application/gzip").chain(() -> {
                JsonObject m = new JsonObject().put("sourceBucket", g.sourceBucket())
                        .put("destinationBucket", "arn:aws:s3:::" + bucket).put("version", "2021-11-30")
                        .put("creationTimestamp", Long.toString(System.currentTimeMillis())).put("fileFormat", "CSV")
                        .put("fileSchema", "Bucket, Key").put("files", new JsonArray().add(new JsonObject()
                                .put("key", dataKey).put("size", gz.length).put("MD5checksum", md5(gz))));
                return put(runner, j, bucket, base + "manifest.json", m.encode().getBytes(StandardCharsets.UTF_8),
                        "application/json");
            }).chain(copied -> runner.store().generatedManifest(j.id(), lease,
                    "<GeneratedManifestDescriptor><Format>S3InventoryReport_CSV_20211130</Format><Location>"
                            + Xml.el("ETag", copied.etag()) + Xml.el("ObjectArn", "arn:aws:s3:::" + bucket + "/" + base
                                    + "manifest.json") + "</Location></GeneratedManifestDescriptor>"));
        });
    }

    private static Uni<Void> collect(BatchRunner runner, String id, ByteArrayOutputStream out, long[] last) {
        return runner.store().tasksIn(id, null, last[0], PAGE).chain(tasks -> {
            for (BatchJobRows.Task t : tasks) {
                out.writeBytes(("\"" + t.bucket().replace("\"", "\"\"") + "\",\"" + encodeKey(t.key()) + "\"\n")
                        .getBytes(StandardCharsets.UTF_8));
                last[0] = t.seq();
            }
            return tasks.size() < PAGE ? Uni.createFrom().voidItem() : collect(runner, id, out, last);
        });
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(data);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }
}
