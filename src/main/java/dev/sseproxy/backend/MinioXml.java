package dev.sseproxy.backend;

import com.ctc.wstx.api.WstxInputProperties;
import com.ctc.wstx.stax.WstxInputFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import javax.xml.stream.XMLInputFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Reads the backend's XML answers into {@link BackendXml} types. */
public final class MinioXml {
    static final XmlMapper XML = (XmlMapper) new XmlMapper(backendXmlInput())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /**
     * MinIO (like S3) writes key characters XML 1.0 cannot hold as character references
     * ({@code <Key>a&#x1;b</Key>}); a strict parser rejects the whole listing.
     */
    static XMLInputFactory backendXmlInput() {
        XMLInputFactory f = new WstxInputFactory();
        f.setProperty(WstxInputProperties.P_ALLOW_XML11_ESCAPED_CHARS_IN_XML10, true);
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        return f;
    }

    private MinioXml() {
    }

    public static <T> T read(byte[] xml, Class<T> type) throws IOException {
        return XML.readValue(withoutNulReferences(xml), type);
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
            return XML.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
