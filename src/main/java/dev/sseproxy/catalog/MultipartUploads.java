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
 * Rows go when the upload completes or is aborted.
 */
@ApplicationScoped
public class MultipartUploads {
    /** An open encrypted upload. */
    public record Upload(String uploadId, String bucket, String key, String envelopeJson,
            Optional<String> contextHeader, Optional<String> checksumAlgorithm) {
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

    public Uni<Optional<Upload>> find(String uploadId) {
        return pool.preparedQuery("SELECT upload_id, bucket, object_key, envelope, context_header, checksum_algorithm "
                + "FROM sse_upload WHERE upload_id = $1").execute(Tuple.of(uploadId)).map(rows -> {
                    for (Row r : rows) {
                        return Optional.of(new Upload(r.getString(0), r.getString(1), r.getString(2), r.getString(3),
                                Optional.ofNullable(r.getString(4)), Optional.ofNullable(r.getString(5))));
                    }
                    return Optional.empty();
                });
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
