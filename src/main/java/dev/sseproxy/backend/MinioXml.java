package dev.sseproxy.backend;

import java.io.IOException;

/** Reads the backend's XML answers into {@link BackendXml} types. */
public final class MinioXml {
    private MinioXml() {
    }

    public static <T> T read(byte[] xml, Class<T> type) throws IOException {
        return MinioObjectStore.XML.readValue(xml, type);
    }

    public static byte[] write(Object value) {
        try {
            return MinioObjectStore.XML.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
