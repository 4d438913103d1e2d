package dev.sseproxy.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Which backend requests may be sent a second time, and the keep-alive setting Vert.x gets. */
class BackendRetryPolicyTest {

    @Test
    void idempotentMethodsWithoutABodyOrWithABodyInMemoryAreReplayable() {
        for (String m : new String[] {"GET", "HEAD", "DELETE", "PUT"}) {
            assertTrue(MinioObjectStore.replayable(BackendCall.of(m, "b", "k")), m);
        }
        assertTrue(MinioObjectStore.replayable(BackendCall.of("PUT", "b", "k")
                .withBody(BackendCall.Body.of(Buffer.buffer("x")))));
    }

    @Test
    void aStreamedBodyOrAPostIsNeverSentTwice() {
        ReadStream<Buffer> stream = null; // never read: only the body's kind matters
        assertFalse(MinioObjectStore.replayable(BackendCall.of("PUT", "b", "k")
                .withBody(BackendCall.Body.of(stream, 10))));
        assertFalse(MinioObjectStore.replayable(BackendCall.of("POST", "b", "k").query("uploads", "")));
        assertFalse(MinioObjectStore.replayable(BackendCall.of("POST", "b", null).query("delete", "")
                .withBody(BackendCall.Body.of(Buffer.buffer("<Delete/>")))));
    }

    @Test
    void theKeepAliveTimeoutIsWholeSecondsAndNeverZeroWhichVertxReadsAsForever() {
        assertEquals(15, MinioObjectStore.keepAliveSeconds(Duration.ofSeconds(15)));
        assertEquals(1, MinioObjectStore.keepAliveSeconds(Duration.ofMillis(400)));
        assertEquals(1, MinioObjectStore.keepAliveSeconds(Duration.ZERO));
    }
}
