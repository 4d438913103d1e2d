package dev.sseproxy.catalog;

import java.time.Instant;

/** A bucket in the domain. */
public record Bucket(String name, String ownerId, String region, Instant createdAt) {
}
