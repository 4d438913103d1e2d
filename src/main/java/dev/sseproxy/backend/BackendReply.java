package dev.sseproxy.backend;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/** A backend answer with its (small) body read into memory. */
public record BackendReply(int status, MultiMap headers, Buffer body) {
}
