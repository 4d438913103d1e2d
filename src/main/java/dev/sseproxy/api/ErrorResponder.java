package dev.sseproxy.api;

import dev.sseproxy.api.xml.S3Xml;
import dev.sseproxy.error.S3Exception;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.StringWriter;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/** Renders S3 errors: the XML body (none for HEAD) with the request id, and closes unread bodies. */
final class ErrorResponder {
    private static final XMLOutputFactory XML = XMLOutputFactory.newFactory();
    /** At most this much of a refused form upload's body is read (and dropped) after the error. */
    static final long FORM_DRAIN = 1024 * 1024;

    static {
        // a resource, key or message may carry characters XML 1.0 cannot hold (NUL, other C0
        // controls from a %00 or %01 in the URL): the writer must not throw, or no answer is sent
        if (XML.isPropertySupported(S3Xml.INVALID_CHAR_HANDLER)) {
            XML.setProperty(S3Xml.INVALID_CHAR_HANDLER, S3Xml.REPLACE_INVALID_CHARS);
        }
    }

    private ErrorResponder() {
    }

    static void respond(HttpServerRequest req, String requestId, String resource, Throwable failure) {
        HttpServerResponse resp = req.response();
        S3Exception e = ErrorTranslator.translate(failure, requestId);
        if (resp.headWritten() || resp.ended() || resp.closed()) {
            // the status line is gone: all we can do is cut the connection so the client sees a failure
            if (!resp.closed()) {
                req.connection().close();
            }
            return;
        }
        resp.setStatusCode(e.code().status());
        e.headers().forEach(resp::putHeader);
        boolean unread = !req.isEnded();
        if (unread) {
            // the client is still sending a body we will not read: answer, then drop the connection
            resp.putHeader("Connection", "close");
        }
        if (req.method() == HttpMethod.HEAD || e.code().status() == 304) {
            resp.end();
        } else {
            Buffer body = Buffer.buffer(xml(e, resource, requestId));
            resp.putHeader("Content-Type", "application/xml").end(body);
        }
        if (unread) {
            // read and drop the rest of the body before closing: closing with unread bytes makes the
            // kernel send a reset, which can destroy the error response before the client reads it
            // (a client that sends a whole large body before reading sees only a broken connection)
            // (a refused form upload drains at most FORM_DRAIN bytes: its body may be a 5 GiB file
            // that nobody asked for, so it is cut off as S3 does)
            var vertx = io.vertx.core.Vertx.currentContext().owner();
            long timer = vertx.setTimer(5_000, t -> req.connection().close());
            long budget = isForm(req) ? FORM_DRAIN : Long.MAX_VALUE;
            long[] drained = {0};
            req.handler(b -> {
                drained[0] += b.length();
                if (drained[0] > budget) {
                    vertx.cancelTimer(timer);
                    req.connection().close();
                }
            }).endHandler(v -> {
                vertx.cancelTimer(timer);
                req.connection().close();
            }).resume();
        }
    }

    /** True for a POST with a multipart/form-data body (POST Object). */
    private static boolean isForm(HttpServerRequest req) {
        String ct = req.getHeader("content-type");
        return req.method() == HttpMethod.POST && ct != null
                && ct.regionMatches(true, 0, "multipart/form-data", 0, "multipart/form-data".length());
    }

    static String xml(S3Exception e, String resource, String requestId) {
        try {
            StringWriter out = new StringWriter(256);
            XMLStreamWriter w = XML.createXMLStreamWriter(out);
            w.writeStartDocument("UTF-8", "1.0");
            w.writeStartElement("Error");
            element(w, "Code", e.code().code());
            element(w, "Message", e.getMessage());
            for (Map.Entry<String, String> d : e.details().entrySet()) {
                element(w, d.getKey(), d.getValue());
            }
            element(w, "Resource", e.resource() != null ? e.resource() : resource);
            element(w, "RequestId", requestId);
            element(w, "HostId", RequestIds.hostId(requestId));
            w.writeEndElement();
            w.writeEndDocument();
            w.close();
            return out.toString();
        } catch (XMLStreamException x) {
            throw new IllegalStateException(x);
        }
    }

    private static void element(XMLStreamWriter w, String name, String value) throws XMLStreamException {
        w.writeStartElement(name);
        if (value != null) {
            w.writeCharacters(value);
        }
        w.writeEndElement();
    }
}
