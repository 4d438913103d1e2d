package dev.sseproxy.accesslog;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of server access log delivery (package documentation, "Delivery"). */
@ConfigMapping(prefix = "sse-proxy.access-log")
public interface AccessLogConfig {
    /** Deliver server access logs at all (when off, PutBucketLogging still stores configurations). */
    @WithDefault("true")
    boolean enabled();

    /** How long a record waits at most (plus one delivery) before its log object is written. */
    @WithDefault("5m")
    Duration flushInterval();

    /** A batch that reaches this much record text is delivered at once as its own log object. */
    @WithDefault("4M")
    MemorySize maxObjectSize();

    /** At most this much record text is held by a node (batches open or being delivered); beyond, records are dropped and counted. */
    @WithDefault("32M")
    MemorySize maxBuffered();
}
