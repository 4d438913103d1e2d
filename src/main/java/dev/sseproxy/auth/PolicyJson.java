package dev.sseproxy.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** JSON helpers for POST policies: the shared mapper and S3-style condition rendering. */
final class PolicyJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private PolicyJson() {
    }

    /** Renders strings as a JSON array with S3's {@code ", "} separators. */
    static String array(String... items) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < items.length; i++) {
            out.append(i == 0 ? "" : ", ").append(quote(items[i]));
        }
        return out.append(']').toString();
    }

    /** A JSON string literal. */
    static String quote(String s) {
        try {
            return MAPPER.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render a string as JSON", e);
        }
    }
}
