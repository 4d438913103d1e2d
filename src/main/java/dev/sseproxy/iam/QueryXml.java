package dev.sseproxy.iam;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * The XML of the AWS query protocol as IAM and STS answer it:
 * {@code <XResponse xmlns=ns><XResult>...</XResult><ResponseMetadata><RequestId>..</RequestId></ResponseMetadata></XResponse>}
 * (no Result element for actions that return nothing), and errors as
 * {@code <ErrorResponse xmlns=ns><Error><Type>Sender</Type><Code/><Message/></Error><RequestId/></ErrorResponse>}.
 * A small builder: elements are opened and closed in order, text is escaped.
 */
public final class QueryXml {
    public static final String IAM_NAMESPACE = "https://iam.amazonaws.com/doc/2010-05-08/";
    public static final String STS_NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";
    public static final String IAM_VERSION = "2010-05-08";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT;

    private final StringBuilder out = new StringBuilder(256);

    /** Opens {@code <name>}. */
    public QueryXml open(String name) {
        out.append('<').append(name).append('>');
        return this;
    }

    /** Closes {@code </name>}. */
    public QueryXml close(String name) {
        out.append("</").append(name).append('>');
        return this;
    }

    /** {@code <name>text</name>}; nothing when {@code text} is null. */
    public QueryXml element(String name, String text) {
        if (text != null) {
            open(name);
            escape(text);
            close(name);
        }
        return this;
    }

    public QueryXml element(String name, Instant t) {
        return element(name, t == null ? null : time(t));
    }

    public QueryXml element(String name, long n) {
        return element(name, Long.toString(n));
    }

    public QueryXml element(String name, boolean b) {
        return element(name, Boolean.toString(b));
    }

    /** The XML built so far (a Result's content). */
    @Override
    public String toString() {
        return out.toString();
    }

    private void escape(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                case '\r' -> out.append("&#13;");
                default -> out.append(c);
            }
        }
    }

    /** The whole response of {@code action}: its Result (null: an action without one) and the request id. */
    public static String response(String namespace, String action, String result, String requestId) {
        QueryXml x = new QueryXml();
        x.out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<").append(action).append("Response xmlns=\"")
                .append(namespace).append("\">");
        if (result != null) {
            x.open(action + "Result").out.append(result);
            x.close(action + "Result");
        }
        x.open("ResponseMetadata").element("RequestId", requestId).close("ResponseMetadata");
        x.close(action + "Response");
        return x.toString();
    }

    /** An error response. */
    public static String error(String namespace, String code, String message, String requestId) {
        QueryXml x = new QueryXml();
        x.out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse xmlns=\"").append(namespace).append("\">");
        x.open("Error").element("Type", "Sender").element("Code", code).element("Message", message).close("Error");
        x.element("RequestId", requestId).close("ErrorResponse");
        return x.toString();
    }

    /** An IAM error response. */
    public static String error(IamException e, String requestId) {
        return error(IAM_NAMESPACE, e.code().code(), e.getMessage(), requestId);
    }

    /** IAM's time format: ISO 8601 in UTC, whole seconds. */
    public static String time(Instant t) {
        return TIME.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    /**
     * A policy document as IAM returns it (GetUserPolicy, GetPolicyVersion): percent-encoded (RFC 3986:
     * everything but {@code A-Z a-z 0-9 - _ . ~} as {@code %XX} of its UTF-8 bytes; a space is {@code %20}),
     * which the AWS CLI decodes and the SDKs hand over as it is.
     */
    public static String urlEncoded(String document) {
        byte[] bytes = document.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            int c = b & 0xFF;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
                    || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return sb.toString();
    }
}
