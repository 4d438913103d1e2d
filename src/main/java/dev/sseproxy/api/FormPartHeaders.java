package dev.sseproxy.api;

import dev.sseproxy.error.S3Exception;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The header level of a POST Object form ({@link FormStream} does the byte level): the boundary of
 * the request's {@code multipart/form-data} Content-Type, and the name, filename and Content-Type of
 * one part from its header block (RFC 7578 §4.2; {@code filename*} as RFC 5987 says). Every refusal
 * is S3's {@code MalformedPOSTRequest}. No regular expression: a part header is the client's text.
 *
 * @param name the part's form field name, as sent ({@code null} when the part has none)
 * @param filename the file name, {@code filename*} decoded when given ({@code null} when none)
 * @param contentType the part's Content-Type ({@code null} when none)
 */
record FormPartHeaders(String name, String filename, String contentType) {

    /**
     * The boundary of a {@code multipart/form-data} Content-Type.
     *
     * @throws S3Exception MalformedPOSTRequest when it is not a form with a usable boundary
     */
    static String boundary(String contentType) {
        if (contentType == null) {
            throw FormStream.malformed();
        }
        String[] params = contentType.split(";");
        if (!params[0].trim().equalsIgnoreCase("multipart/form-data")) {
            throw FormStream.malformed();
        }
        for (int i = 1; i < params.length; i++) {
            String p = params[i].trim();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase("boundary")) {
                String b = p.substring(eq + 1).trim();
                if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
                    b = b.substring(1, b.length() - 1);
                }
                if (b.isEmpty() || b.length() > FormStream.MAX_BOUNDARY || !b.chars().allMatch(c -> c > 0x20 && c < 0x7f
                        || c == ' ')) {
                    throw FormStream.malformed();
                }
                return b;
            }
        }
        throw FormStream.malformed();
    }

    /** The part headers of one header block (the lines before the blank line, CRLF-separated). */
    static FormPartHeaders parse(String block) {
        String name = null;
        String filename = null;
        String contentType = null;
        for (String line : block.split("\r\n")) {
            int colon = line.indexOf(':');
            if (line.isEmpty()) {
                continue;
            }
            if (colon <= 0) {
                throw FormStream.malformed();
            }
            String header = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if ("content-disposition".equals(header)) {
                Disposition d = Disposition.parse(value);
                name = d.name;
                filename = d.filename;
            } else if ("content-type".equals(header)) {
                contentType = value;
            }
        }
        return new FormPartHeaders(name, filename, contentType);
    }

    /** The name and filename of a {@code Content-Disposition: form-data} part header. */
    private record Disposition(String name, String filename) {
        static Disposition parse(String value) {
            String name = null;
            String filename = null;
            String filenameStar = null;
            int i = 0;
            int n = value.length();
            // the disposition type
            while (i < n && value.charAt(i) != ';') {
                i++;
            }
            if (!value.substring(0, i).trim().equalsIgnoreCase("form-data")) {
                throw FormStream.malformed();
            }
            while (i < n) {
                i++; // ';'
                int eq = value.indexOf('=', i);
                if (eq < 0) {
                    break;
                }
                String param = value.substring(i, eq).trim().toLowerCase(Locale.ROOT);
                i = eq + 1;
                while (i < n && value.charAt(i) == ' ') {
                    i++;
                }
                StringBuilder v = new StringBuilder();
                if (i < n && value.charAt(i) == '"') {
                    i++;
                    while (i < n && value.charAt(i) != '"') {
                        char c = value.charAt(i);
                        if (c == '\\' && i + 1 < n) {
                            c = value.charAt(++i);
                        }
                        v.append(c);
                        i++;
                    }
                    if (i >= n) {
                        throw FormStream.malformed();
                    }
                    i++;
                    while (i < n && value.charAt(i) != ';') {
                        i++;
                    }
                } else {
                    while (i < n && value.charAt(i) != ';') {
                        v.append(value.charAt(i++));
                    }
                }
                String text = v.toString().trim();
                switch (param) {
                    case "name" -> name = text;
                    case "filename" -> filename = text;
                    case "filename*" -> filenameStar = text;
                    default -> {
                    }
                }
            }
            if (filenameStar != null) {
                int quote = filenameStar.indexOf("''");
                if (quote >= 0) {
                    try {
                        filename = URLDecoder.decode(filenameStar.substring(quote + 2).replace("+", "%2B"),
                                StandardCharsets.UTF_8);
                    } catch (IllegalArgumentException e) {
                        throw FormStream.malformed();
                    }
                }
            }
            return new Disposition(name, filename);
        }
    }
}
