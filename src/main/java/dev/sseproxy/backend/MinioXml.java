package dev.sseproxy.backend;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Reads the backend's XML answers into {@link BackendXml} types. */
public final class MinioXml {
    private MinioXml() {
    }

    public static <T> T read(byte[] xml, Class<T> type) throws IOException {
        return MinioObjectStore.XML.readValue(withoutNulReferences(xml), type);
    }

    /**
     * MinIO echoes a NUL from the request (e.g. {@code delimiter=%00}) as {@code &#x0;}, which no
     * XML version allows; it is read as U+FFFD instead of failing the whole document.
     */
    static byte[] withoutNulReferences(byte[] xml) {
        String s = new String(xml, StandardCharsets.UTF_8);
        if (!s.contains("&#x0;") && !s.contains("&#0;")) {
            return xml;
        }
        return s.replace("&#x0;", "&#xFFFD;").replace("&#0;", "&#xFFFD;").getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] write(Object value) {
        try {
            return MinioObjectStore.XML.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
