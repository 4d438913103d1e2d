package dev.sseproxy.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestHeadersTest {
    private static RequestHeaders of(String... nameValue) {
        List<Map.Entry<String, String>> entries = new java.util.ArrayList<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            entries.add(Map.entry(nameValue[i], nameValue[i + 1]));
        }
        return RequestHeaders.of(entries);
    }

    @Test
    void namesAreLowerCasedOnceAndValuesKeptInArrivalOrder() {
        RequestHeaders h = of("X-Amz-Meta-A", "1", "x-amz-meta-a", "2", "Content-MD5", "x");
        assertEquals(List.of("1", "2"), h.asMap().get("x-amz-meta-a"));
        assertEquals("1", h.get("X-AMZ-META-A"));
        assertEquals("1", h.apply("x-amz-meta-a"));
        assertNull(h.get("absent"));
        assertThrows(UnsupportedOperationException.class, () -> h.asMap().put("y", List.of()));
    }

    @Test
    void theSignedRequestTakesTheMapAsItIsWhenAsciiAndAUtf8CopyOtherwise() {
        RequestHeaders ascii = of("Host", "b.s3", "X-Amz-Date", "20260101T000000Z");
        Map<String, List<String>> m = ascii.asUtf8Text();
        assertSame(ascii.asMap(), m);
        assertSame(m, new SignedRequest("GET", "/", null, m).headers());

        String perByte = new String("é".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        RequestHeaders meta = of("Host", "b.s3", "X-Amz-Meta-Name", perByte);
        Map<String, List<String>> text = meta.asUtf8Text();
        assertNotSame(meta.asMap(), text);
        assertEquals(List.of("é"), text.get("x-amz-meta-name"));
        assertEquals(List.of(perByte), meta.asMap().get("x-amz-meta-name"));
        assertEquals(List.of("b.s3"), text.get("host"));
    }

    @Test
    void checksumAndContentMd5AreParsedOnceAndKept() {
        RequestHeaders h = of("x-amz-checksum-crc32", "AAAAAA==", "Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg==");
        var first = h.checksum();
        assertTrue(first.isPresent());
        assertSame(first, h.checksum());
        assertEquals("d41d8cd98f00b204e9800998ecf8427e", h.contentMd5Hex().orElseThrow());
        assertSame(h.contentMd5(), h.contentMd5());
        assertThrows(AuthException.class, () -> of("Content-MD5", "nope").contentMd5());
    }
}
