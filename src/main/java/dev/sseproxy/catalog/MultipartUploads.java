package dev.sseproxy.catalog;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * State of encrypted multipart uploads in PostgreSQL (V4), each call one round trip:
 * <ul>
 *   <li>the upload: its provisional envelope (the key fields, as backend metadata JSON), the user
 *       encryption context and checksum algorithm it was created with;</li>
 *   <li>part-number claims: the first attempt at part {@code n} encrypts under part number
 *       {@code n}; any later attempt gets a fresh number from a sequence (above 10000), so one
 *       upload key never encrypts two plaintexts under one nonce;</li>
 *   <li>part attempts: (part number, the number it was encrypted under, plaintext size, the ETag
 *       the client was given, the backend's ETag, checksum, table-MAC tag (V9)). Completion matches the backend's
 *       current parts to these rows by backend ETag.</li>
 * </ul>
 * Rows go when the upload is aborted. At completion the part and claim rows go, and the upload row
 * is kept as a <em>completed</em> upload (V10) for {@link #COMPLETED_RETENTION}: the digest of the
 * part list that completed it, the object's ETag and composite checksum, so that a repeated
 * CompleteMultipartUpload (an SDK retrying after a lost response) answers as the first one did.
 * Completed rows older than that are purged lazily, at most {@link #PURGE_BATCH} by each completion.
 */
@ApplicationScoped
public class MultipartUploads {
    /** An open encrypted upload. */
    public record Upload(String uploadId, String bucket, String key, String envelopeJson,
            Optional<String> contextHeader, Optional<String> checksumAlgorithm) {
    }

    /** What a completed upload answers again: see the class comment. */
    public record Completion(String partsDigest, String etag, Optional<String> checksumAlgorithm,
            Optional<String> checksumValue) {
    }

    /** An upload row: open (no completion) or completed. */
    public record Stored(Upload upload, Optional<Completion> completion) {
    }

    /**
     * One stored attempt at a part.
     *
     * @param tableTag the part's table-MAC tag ({@code dev.sseproxy.crypto.TableMac}); null for an
     *                 attempt of an upload begun by older code
     */
    public record PartAttempt(int partNumber, int nonceNumber, long plaintextSize, String etag, String backendEtag,
            Optional<String> checksum, byte[] tableTag) {
    }

    /** How long a completed upload is remembered (S3 keeps it "a short while"). */
    public static final java.time.Duration COMPLETED_RETENTION = java.time.Duration.ofHours(24);
    /** Completed rows purged (at most) by each completion. */
    static final int PURGE_BATCH = 100;

    private final Pool pool;

    public MultipartUploads(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> create(Upload u) {
        return pool.preparedQuery("INSERT INTO sse_upload (upload_id, bucket, object_key, envelope, context_header, "
                + "checksum_algorithm) VALUES ($1, $2, $3, $4, $5, $6)")
                .execute(Tuple.from(new Object[] {u.uploadId(), u.bucket(), u.key(), u.envelopeJson(),
                        u.contextHeader().orElse(null), u.checksumAlgorithm().orElse(null)})).replaceWithVoid();
    }

    /** The upload {@code uploadId}, open or completed; empty when unknown (or purged). */
    public Uni<Optional<Stored>> find(String uploadId) {
        return pool.preparedQuery("SELECT upload_id, bucket, object_key, envelope, context_header, checksum_algorithm, "
                + "completed_at IS NOT NULL, completed_parts, completed_etag, completed_checksum "
                + "FROM sse_upload WHERE upload_id = $1").execute(Tuple.of(uploadId)).map(rows -> {
                    for (Row r : rows) {
                        Upload u = new Upload(r.getString(0), r.getString(1), r.getString(2), r.getString(3),
                                Optional.ofNullable(r.getString(4)), Optional.ofNullable(r.getString(5)));
                        Optional<Completion> done = Optional.empty();
                        if (r.getBoolean(6)) {
                            String cks = r.getString(9);
                            int colon = cks == null ? -1 : cks.indexOf(':');
                            done = Optional.of(new Completion(r.getString(7), r.getString(8),
                                    colon < 0 ? Optional.empty() : Optional.of(cks.substring(0, colon)),
                                    colon < 0 ? Optional.empty() : Optional.of(cks.substring(colon + 1))));
                        }
                        return Optional.of(new Stored(u, done));
                    }
                    return Optional.empty();
                });
    }

    /**
     * Records that the open upload {@code uploadId} completed, drops its part and claim rows, and
     * purges completed uploads past {@link #COMPLETED_RETENTION}: one statement, so all or nothing.
     * False when the upload was not open (completed or aborted meanwhile).
     */
    public Uni<Boolean> complete(String uploadId, Completion c) {
        String checksum = c.checksumAlgorithm().isPresent() && c.checksumValue().isPresent()
                ? c.checksumAlgorithm().get() + ":" + c.checksumValue().get() : null;
        return pool.preparedQuery("WITH done AS (UPDATE sse_upload SET completed_at = now(), completed_parts = $2, "
                + "completed_etag = $3, completed_checksum = $4 WHERE upload_id = $1 AND completed_at IS NULL "
                + "RETURNING upload_id), "
                + "parts AS (DELETE FROM sse_upload_part WHERE upload_id IN (SELECT upload_id FROM done)), "
                + "claims AS (DELETE FROM sse_upload_part_claim WHERE upload_id IN (SELECT upload_id FROM done)), "
                + "purged AS (DELETE FROM sse_upload WHERE upload_id IN (SELECT upload_id FROM sse_upload "
                + "WHERE completed_at < now() - make_interval(secs => $5) LIMIT $6)) "
                + "SELECT count(*) FROM done")
                .execute(Tuple.from(new Object[] {uploadId, c.partsDigest(), c.etag(), checksum,
                        (double) COMPLETED_RETENTION.toSeconds(), PURGE_BATCH}))
                .map(rows -> rows.iterator().next().getLong(0) > 0);
    }

    /** The part number to encrypt this attempt at part {@code partNumber} under (see the class comment). */
    public Uni<Integer> claimNonce(String uploadId, int partNumber) {
        return pool.preparedQuery("WITH c AS (INSERT INTO sse_upload_part_claim (upload_id, part_number) VALUES ($1, $2) "
                + "ON CONFLICT DO NOTHING RETURNING part_number) "
                + "SELECT COALESCE((SELECT part_number FROM c), nextval('sse_part_nonce')::int)")
                .execute(Tuple.of(uploadId, partNumber)).map(rows -> rows.iterator().next().getInteger(0));
    }

    public Uni<Void> recordPart(String uploadId, PartAttempt p) {
        return pool.preparedQuery("INSERT INTO sse_upload_part (upload_id, part_number, nonce_number, plaintext_size, "
                + "etag, backend_etag, checksum, table_tag) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                .execute(Tuple.from(new Object[] {uploadId, p.partNumber(), p.nonceNumber(), p.plaintextSize(), p.etag(),
                        p.backendEtag(), p.checksum().orElse(null),
                        p.tableTag() == null ? null : io.vertx.core.buffer.Buffer.buffer(p.tableTag())})).replaceWithVoid();
    }

    public Uni<List<PartAttempt>> parts(String uploadId) {
        return pool.preparedQuery("SELECT part_number, nonce_number, plaintext_size, etag, backend_etag, checksum, "
                + "table_tag FROM sse_upload_part WHERE upload_id = $1 ORDER BY part_number, created_at")
                .execute(Tuple.of(uploadId)).map(rows -> {
                    List<PartAttempt> out = new ArrayList<>();
                    for (Row r : rows) {
                        var tag = r.getBuffer(6);
                        out.add(new PartAttempt(r.getInteger(0), r.getInteger(1), r.getLong(2), r.getString(3),
                                r.getString(4), Optional.ofNullable(r.getString(5)), tag == null ? null : tag.getBytes()));
                    }
                    return out;
                });
    }

    public Uni<Void> delete(String uploadId) {
        return pool.preparedQuery("DELETE FROM sse_upload WHERE upload_id = $1").execute(Tuple.of(uploadId))
                .replaceWithVoid();
    }
}
