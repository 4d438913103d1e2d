package dev.sseproxy.config;

import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The {@code sse-proxy.s3.*} settings (a group of {@link SseProxyConfig}). */
public interface S3Config {
    /**
     * The S3 era to emulate (spec §0.2): {@code pre-2023} (GetBucketEncryption of a never-configured
     * bucket answers 404 ServerSideEncryptionConfigurationNotFoundError; objects are still encrypted),
     * {@code 2023} (every bucket reports the SSE-S3 default, SSE-C allowed) or {@code 2026-04} (as
     * {@code 2023}, and buckets whose block list was never set block SSE-C writes and report
     * {@code BlockedEncryptionTypes}).
     */
    @WithDefault("2026-04")
    @WithConverter(Era.Converter.class)
    Era era();

    /**
     * How long a bucket's default encryption is reused before it is read again. Changes made
     * through this node apply at once; other nodes see them within this time.
     */
    @WithDefault("5s")
    Duration bucketEncryptionCacheTtl();

    /** The S3 eras that differ on the wire, with their configuration names. */
    enum Era {
        /** Before 2023-01-05: buckets had no default encryption to report. */
        PRE_2023("pre-2023"),
        /** From 2023-01-05: SSE-S3 is every bucket's default. */
        Y2023("2023"),
        /** From 2026-04-06: SSE-C blocked by default on new buckets. */
        Y2026_04("2026-04");

        private final String configName;

        Era(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }

        /** Reads {@code pre-2023}, {@code 2023} or {@code 2026-04}; anything else fails the start. */
        public static Era parse(String value) {
            for (Era e : values()) {
                if (e.configName.equals(value.trim())) {
                    return e;
                }
            }
            throw new IllegalArgumentException("sse-proxy.s3.era must be pre-2023, 2023 or 2026-04, not " + value);
        }

        /** The configuration converter for {@link #parse}. */
        public static final class Converter implements org.eclipse.microprofile.config.spi.Converter<Era> {
            @Override
            public Era convert(String value) {
                return parse(value);
            }
        }
    }
}
