package dev.sseproxy.api.aws.query;

import java.io.StringWriter;
import java.util.List;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/** The query protocol's XML: result trees ({@link Node}), answers and error documents. */
public final class QueryXml {
    private static final XMLOutputFactory XML = XMLOutputFactory.newFactory();

    static {
        // a message may echo characters XML 1.0 cannot hold (a parameter with a control character)
        if (XML.isPropertySupported(dev.sseproxy.api.xml.S3Xml.INVALID_CHAR_HANDLER)) {
            XML.setProperty(dev.sseproxy.api.xml.S3Xml.INVALID_CHAR_HANDLER, dev.sseproxy.api.xml.S3Xml.REPLACE_INVALID_CHARS);
        }
    }

    private QueryXml() {
    }

    /** An element with text (escaped when written) or children; a null text writes an empty element. */
    public record Node(String name, String text, List<Node> children) {
        public Node {
            children = List.copyOf(children);
        }

        /** {@code <name>text</name>}. */
        public static Node text(String name, String text) {
            return new Node(name, text, List.of());
        }

        /** {@code <name>children…</name>}. */
        public static Node of(String name, Node... children) {
            return new Node(name, null, List.of(children));
        }

        /** {@code <name>children…</name>}. */
        public static Node of(String name, List<Node> children) {
            return new Node(name, null, children);
        }

        /** A list as the query protocol writes it: {@code <name><member>…</member>…</name>}. */
        public static Node members(String name, List<Node> members) {
            return new Node(name, null, members.stream().map(m -> new Node("member", m.text(), m.children())).toList());
        }
    }

    /** {@code <ActionResponse xmlns=…><ActionResult>result</ActionResult><ResponseMetadata>…}. */
    public static String response(QueryService service, String action, List<Node> result, String requestId) {
        return write(w -> {
            w.writeStartElement(action + "Response");
            w.writeDefaultNamespace(service.namespace());
            if (!result.isEmpty()) {
                node(w, Node.of(action + "Result", result));
            }
            node(w, Node.of("ResponseMetadata", Node.text("RequestId", requestId)));
            w.writeEndElement();
        });
    }

    /** {@code <ErrorResponse xmlns=…><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>}; namespace may be null. */
    public static String error(String namespace, QueryException e, String requestId) {
        return write(w -> {
            w.writeStartElement("ErrorResponse");
            if (namespace != null) {
                w.writeDefaultNamespace(namespace);
            }
            node(w, Node.of("Error", Node.text("Type", e.type()), Node.text("Code", e.code()),
                    Node.text("Message", e.getMessage())));
            node(w, Node.text("RequestId", requestId));
            w.writeEndElement();
        });
    }

    private interface Body {
        void write(XMLStreamWriter w) throws XMLStreamException;
    }

    private static String write(Body body) {
        try {
            StringWriter out = new StringWriter(512);
            XMLStreamWriter w = XML.createXMLStreamWriter(out);
            w.writeStartDocument("UTF-8", "1.0");
            body.write(w);
            w.writeEndDocument();
            w.close();
            return out.toString();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void node(XMLStreamWriter w, Node n) throws XMLStreamException {
        w.writeStartElement(n.name());
        if (n.text() != null) {
            w.writeCharacters(n.text());
        }
        for (Node c : n.children()) {
            node(w, c);
        }
        w.writeEndElement();
    }
}
