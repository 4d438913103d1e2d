package dev.sseproxy.authz;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a policy document into a small tree with Jackson's streaming parser: objects as ordered maps,
 * arrays as lists, strings as {@link String}, every other scalar as a {@link Literal}. A key given twice
 * in one object, nesting deeper than a policy can be, trailing content, or text that is not JSON is
 * {@link NotJson}. The caller has bounded the text's size, so this is linear in it.
 */
final class PolicyJson {
    /** Policy grammar needs six levels (document, Statement, statement, Condition, operator, values). */
    static final int MAX_DEPTH = 8;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private PolicyJson() {
    }

    /** A JSON number, {@code true}, {@code false} or {@code null}, as written. */
    record Literal(String text, boolean isNull) {
        @Override
        public String toString() {
            return text;
        }
    }

    /** The text is not one JSON object (or breaks this reader's bounds). */
    static final class NotJson extends Exception {
        NotJson() {
            super(null, null, false, false);
        }
    }

    static Map<String, Object> readObject(String text) throws NotJson {
        try (JsonParser p = FACTORY.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new NotJson();
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> root = (Map<String, Object>) value(p, 1);
            if (p.nextToken() != null) {
                throw new NotJson();
            }
            return root;
        } catch (IOException | RuntimeException e) {
            throw new NotJson();
        }
    }

    private static Object value(JsonParser p, int depth) throws IOException, NotJson {
        if (depth > MAX_DEPTH) {
            throw new NotJson();
        }
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    m.put(name, value(p, depth + 1));
                }
                return m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.add(value(p, depth + 1));
                }
                return l;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> {
                return new Literal(p.getText(), false);
            }
            case VALUE_NULL -> {
                return new Literal("null", true);
            }
            default -> throw new NotJson();
        }
    }

    /**
     * The document's size as IAM counts it: its characters without the whitespace between tokens
     * (whitespace inside strings counts). One pass, no allocation.
     */
    static int sizeWithoutWhitespace(String text) {
        int n = 0;
        boolean inString = false;
        boolean escaped = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                n++;
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                n++;
                inString = c == '"';
            }
        }
        return n;
    }
}
