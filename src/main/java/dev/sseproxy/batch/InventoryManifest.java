package dev.sseproxy.batch;

import dev.sseproxy.cluster.Leases;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * An S3 Inventory report as a manifest ({@code S3InventoryReport_CSV_20161130}): the job's manifest
 * object is the report's {@code manifest.json} (its ETag checked as a CSV manifest's); its
 * {@code fileSchema} names the columns and {@code files} the gzipped CSV data files, in the same bucket,
 * read one at a time as the job's principal. A data file is held in memory compressed
 * (at most {@link #MAX_FILE} bytes) and decompressed a line at a time.
 */
final class InventoryManifest {
    static final int MAX_JSON = 16 * 1024 * 1024;
    static final int MAX_FILE = 256 * 1024 * 1024;

    private InventoryManifest() {
    }

    static Uni<Long> tasks(BatchRunner runner, BatchJobStore.Job j, JobSpec.Manifest m, Leases.Lease lease) {
        return runner.requireActor(j).chain(actor -> runner.reads().open(actor, m.bucket(), m.key()).chain(opened -> {
            if (!opened.etag().equals(m.etag())) {
                throw new CsvManifest.InvalidManifest("ManifestETagMismatch", "The ETag of the manifest object ("
                        + opened.etag() + ") does not match the ETag specified in the job (" + m.etag() + ")");
            }
            return bytes(opened.body(), MAX_JSON);
        }).chain(json -> {
            JsonObject manifest;
            try {
                manifest = new JsonObject(new String(json, StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                throw new CsvManifest.InvalidManifest("InvalidManifestContent", "The inventory manifest.json is not valid JSON");
            }
            if (!"CSV".equals(manifest.getString("fileFormat"))) {
                throw new CsvManifest.InvalidManifest("InvalidManifestContent", "Only CSV inventory reports are supported");
            }
            List<String> fields = Arrays.stream(String.valueOf(manifest.getString("fileSchema")).split(","))
                    .map(String::trim).toList();
            if (!fields.contains("Bucket") || !fields.contains("Key")) {
                throw new CsvManifest.InvalidManifest("InvalidManifestContent", "The inventory fileSchema lacks Bucket or Key");
            }
            CsvManifest csv = new CsvManifest(fields);
            JsonArray files = manifest.getJsonArray("files", new JsonArray());
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                keys.add(files.getJsonObject(i).getString("key"));
            }
            Multi<String[]> rows = Multi.createFrom().iterable(keys).onItem().transformToMultiAndConcatenate(key ->
                    runner.reads().open(actor, m.bucket(), key).chain(o -> bytes(o.body(), MAX_FILE))
                            .onItem().transformToMulti(gz -> Multi.createFrom().iterable(rows(csv, gz))));
            return runner.insertRows(j, lease, rows);
        }));
    }

    private static Iterable<String[]> rows(CsvManifest csv, byte[] gz) {
        List<String[]> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(new ByteArrayInputStream(gz)),
                StandardCharsets.UTF_8))) {
            String line;
            long n = 0;
            while ((line = r.readLine()) != null) {
                CsvManifest.Row row = csv.row(line, ++n);
                if (row != null) {
                    out.add(new String[] {row.bucket(), row.key(), row.versionId().orElse(null), null});
                }
            }
        } catch (IOException e) {
            throw new CsvManifest.InvalidManifest("InvalidManifestContent", "An inventory data file is not valid gzip");
        }
        return out;
    }

    static Uni<byte[]> bytes(Multi<byte[]> body, int max) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return body.onItem().invoke(b -> {
            if (out.size() + b.length > max) {
                throw new CsvManifest.InvalidManifest("InvalidManifestContent", "A manifest file is larger than " + max
                        + " bytes");
            }
            out.writeBytes(b);
        }).collect().last().map(x -> out.toByteArray());
    }

}
