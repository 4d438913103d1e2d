package dev.sseproxy.batch;

import dev.sseproxy.sse.InternalWrites;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Reading an object as a job's principal (a CSV manifest, an inventory report's manifest.json and data
 * files): authorized like a client's GetObject ({@code s3:GetObject}), decrypted by the same pipeline,
 * streamed. Implemented in {@code dev.sseproxy.api}.
 */
public interface ObjectReads {
    /** An opened object: its client ETag (unquoted) and plaintext, as a stream of chunks. */
    record Opened(String etag, long size, Multi<byte[]> body) {
    }

    /** Fails with the S3Exception a GetObject would get (NoSuchKey, AccessDenied, ...). */
    Uni<Opened> open(InternalWrites.Actor actor, String bucket, String key);
}
