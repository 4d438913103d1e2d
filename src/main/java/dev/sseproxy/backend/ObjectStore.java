package dev.sseproxy.backend;

import io.smallrye.mutiny.Uni;

/**
 * The port to the store that holds the (cipher-)text: an S3 API. Non-2xx answers fail with
 * {@link BackendException.Rejected}; transport failures with {@link BackendException.Unavailable}.
 */
public interface ObjectStore {

    /** Sends {@code call} and reads the whole (small) answer body. */
    Uni<BackendReply> exchange(BackendCall call);

    /** Sends {@code call} and hands back the answer with its body still to be streamed. */
    Uni<BackendStream> open(BackendCall call);
}
