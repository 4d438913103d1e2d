package dev.sseproxy.api.xml;

import com.ctc.wstx.api.InvalidCharHandler;
import com.ctc.wstx.api.WstxOutputProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.xml.XmlFactory;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import com.fasterxml.jackson.dataformat.xml.ser.ToXmlGenerator;
import dev.sseproxy.error.S3Exception;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The XML codec of the S3 wire: documents carry S3's default namespace (written as an
 * {@code xmlns} attribute of the root, so children stay unqualified-in-default), unknown elements
 * are ignored on read and namespaces too (clients differ in whether they send one).
 */
public final class S3Xml {
    public static final String NS = "http://s3.amazonaws.com/doc/2006-03-01/";
    /** Woodstox writer property: what to do with characters XML 1.0 cannot represent. */
    public static final String INVALID_CHAR_HANDLER = WstxOutputProperties.P_OUTPUT_INVALID_CHAR_HANDLER;
    /** Writes U+FFFD for such characters (NUL, C0 controls other than tab/CR/LF) instead of failing. */
    public static final InvalidCharHandler REPLACE_INVALID_CHARS = new InvalidCharHandler.ReplacingHandler('\uFFFD');
    private static final XMLInputFactory ROOT_SCANNER = rootScanner();
    private static final XmlMapper MAPPER = (XmlMapper) new XmlMapper(new XmlFactory(null, documentOutput()))
            .configure(ToXmlGenerator.Feature.WRITE_XML_DECLARATION, true)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private S3Xml() {
    }

    public static byte[] write(Object document) {
        try {
            return MAPPER.writeValueAsBytes(document);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + document.getClass().getSimpleName(), e);
        }
    }

    /** Reads a client document; anything unparseable is S3's MalformedXML. */
    public static <T> T read(byte[] xml, Class<T> type) {
        if (xml.length == 0) {
            throw S3Exception.malformedXml();
        }
        try {
            JacksonXmlRootElement root = type.getAnnotation(JacksonXmlRootElement.class);
            if (root != null && !root.localName().equals(rootElement(xml))) {
                // Jackson ignores the root element's name: <Foo><Object>... would pass as a <Delete>
                throw S3Exception.malformedXml();
            }
            T value = MAPPER.readValue(xml, type);
            if (value == null) {
                throw S3Exception.malformedXml();
            }
            return value;
        } catch (IOException | XMLStreamException | RuntimeException e) {
            if (e instanceof S3Exception s3) {
                throw s3;
            }
            throw S3Exception.malformedXml();
        }
    }

    /** Local name of the document's root element (null when there is none); DTDs are not processed. */
    private static String rootElement(byte[] xml) throws XMLStreamException {
        XMLStreamReader r = ROOT_SCANNER.createXMLStreamReader(new ByteArrayInputStream(xml));
        try {
            while (r.hasNext()) {
                if (r.next() == XMLStreamConstants.START_ELEMENT) {
                    return r.getLocalName();
                }
            }
            return null;
        } finally {
            r.close();
        }
    }

    /** Keys that hold characters XML 1.0 cannot represent are written with U+FFFD, not a failed listing. */
    private static XMLOutputFactory documentOutput() {
        XMLOutputFactory f = XMLOutputFactory.newFactory();
        f.setProperty(INVALID_CHAR_HANDLER, REPLACE_INVALID_CHARS);
        return f;
    }

    private static XMLInputFactory rootScanner() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        return f;
    }
}
