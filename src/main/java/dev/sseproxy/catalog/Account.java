package dev.sseproxy.catalog;

import java.time.Instant;

/** An account in the domain. */
public record Account(String id, String name, Instant createdAt) {
}
