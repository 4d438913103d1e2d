package dev.sseproxy.batch;

import dev.sseproxy.error.S3Exception;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The little XML this package reads (a CreateJob request, at most the S3 body limit): a DOM without
 * DTDs or external entities, elements looked up by local name whatever their namespace, and any
 * child element of a list taken as a member (S3 Control writes {@code <member>}, and the API
 * reference shows the member's type name).
 */
final class Xml {
    private Xml() {
    }

    static Element parse(byte[] body) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            return b.parse(new ByteArrayInputStream(body)).getDocumentElement();
        } catch (Exception e) {
            throw S3Exception.malformedXml();
        }
    }

    static String name(Node n) {
        return n.getLocalName() == null ? n.getNodeName() : n.getLocalName();
    }

    static List<Element> children(Element parent) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                out.add(e);
            }
        }
        return out;
    }

    static Optional<Element> child(Element parent, String name) {
        if (parent == null) {
            return Optional.empty();
        }
        for (Element e : children(parent)) {
            if (name.equals(name(e))) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    static Optional<String> text(Element parent, String name) {
        return child(parent, name).map(e -> e.getTextContent().trim());
    }

    /** The members of list element {@code name} (any child element is a member). */
    static List<Element> members(Element parent, String name) {
        return child(parent, name).map(Xml::children).orElse(List.of());
    }

    static List<String> memberTexts(Element parent, String name) {
        return members(parent, name).stream().map(e -> e.getTextContent().trim()).toList();
    }

    /** {@code e} serialized without its namespace declaration (as DescribeJob echoes request parts). */
    static String write(Element e) {
        try {
            Transformer t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            StringWriter w = new StringWriter();
            t.transform(new DOMSource(e), new StreamResult(w));
            return w.toString().replaceAll(" xmlns=\"[^\"]*\"", "");
        } catch (Exception x) {
            throw new IllegalStateException(x);
        }
    }

    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\r' -> b.append("&#13;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    static String el(String name, Object value) {
        return value == null ? "" : "<" + name + ">" + escape(value.toString()) + "</" + name + ">";
    }
}
