package dev.sseproxy.kms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EncryptionContextTest {

    private static String canonical(Map<String, String> ctx) {
        return new String(EncryptionContext.canonical(ctx), StandardCharsets.UTF_8);
    }

    @Test
    void emptyContextIsAnEmptyObjectNotEmptyBytes() {
        assertEquals("{}", canonical(Map.of()));
    }

    @Test
    void entriesAreSortedWhateverTheirInsertionOrder() {
        Map<String, String> ba = new LinkedHashMap<>();
        ba.put("b", "2");
        ba.put("a", "1");
        assertEquals("{\"a\":\"1\",\"b\":\"2\"}", canonical(ba));
        assertArrayEquals(EncryptionContext.canonical(ba), EncryptionContext.canonical(new HashMap<>(Map.of("a", "1", "b", "2"))));
    }

    @Test
    void theAwsS3ContextCanonicalisesAsJcs() {
        assertEquals("{\"aws:s3:arn\":\"arn:aws:s3:::bucket/dir/key\"}",
                canonical(Map.of("aws:s3:arn", "arn:aws:s3:::bucket/dir/key")));
    }

    @Test
    void quotesBackslashesAndControlCharactersAreEscapedLikeJcs() {
        assertEquals("{\"k\\\"\\\\\":\"\\b\\t\\n\\f\\r\\u0001\\u001f\u007f\"}",
                canonical(Map.of("k\"\\", "\b\t\n\f\r\u0001\u001f\u007f")));
    }

    @Test
    void nonAsciiIsWrittenAsUtf8NotEscaped() {
        byte[] out = EncryptionContext.canonical(Map.of("ключ", "€😀"));
        assertArrayEquals("{\"ключ\":\"€😀\"}".getBytes(StandardCharsets.UTF_8), out);
    }

    @Test
    void keysAreOrderedByUtf16CodeUnitsAsRfc8785Requires() {
        // RFC 8785 §3.2.3: U+FB33 (one unit 0xFB33) sorts after U+1F600 (units 0xD83D 0xDE00)
        assertEquals("{\"\uD83D\uDE00\":\"b\",\"\uFB33\":\"a\"}", canonical(Map.of("\uFB33", "a", "\uD83D\uDE00", "b")));
    }

    @Test
    void distinctContextsGiveDistinctBytes() {
        // a naive "k=v" join would make these two equal
        assertEquals(false, canonical(Map.of("a", "b,c=d")).equals(canonical(Map.of("a", "b", "c", "d"))));
    }

    @Test
    void unpairedSurrogatesAndNullsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> EncryptionContext.canonical(Map.of("k", "\uD800")));
        Map<String, String> withNull = new HashMap<>();
        withNull.put("k", null);
        assertThrows(IllegalArgumentException.class, () -> EncryptionContext.canonical(withNull));
    }
}
