package dev.sseproxy.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.error.S3Exception;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FormStreamTest {
    static final String B = "----formBoundary7MA4YWxkTrZu0gW";

    /** Everything the parser reported. */
    record Parsed(Map<String, String> fields, String filename, byte[] file, boolean complete) {
    }

    static Parsed parse(byte[] body, int piece) {
        FormStream p = new FormStream(B);
        Map<String, String> fields = new LinkedHashMap<>();
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        String[] filename = {null};
        for (int off = 0; off < body.length; off += piece) {
            p.feed(Buffer.buffer().appendBytes(body, off, Math.min(piece, body.length - off)));
            while (true) {
                FormStream.Event e = p.next();
                if (e instanceof FormStream.Event.NeedMore) {
                    break;
                } else if (e instanceof FormStream.Event.Field f) {
                    fields.putIfAbsent(f.name(), f.value());
                } else if (e instanceof FormStream.Event.FileStart s) {
                    filename[0] = s.filename();
                } else if (e instanceof FormStream.Event.FileData d) {
                    file.writeBytes(d.bytes().getBytes());
                }
            }
        }
        p.finish();
        return new Parsed(fields, filename[0], file.toByteArray(), p.fileComplete());
    }

    /** A part as Python requests sends it: every field with a filename. */
    static String requestsPart(String name, String value) {
        return "--" + B + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + name + "\"\r\n\r\n"
                + value + "\r\n";
    }

    /** A part as a browser sends it. */
    static String browserPart(String name, String value) {
        return "--" + B + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
    }

    static byte[] form(String fieldsBefore, byte[] file, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(fieldsBefore.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(("--" + B + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(file);
        out.writeBytes(("\r\n" + after + "--" + B + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    @Test
    void requestsStyleFieldsWithFilenameAreFieldsAndTheFileIsTheFieldNamedFile() {
        byte[] file = new byte[200_000];
        new Random(1).nextBytes(file);
        // a file containing CRLF-- and a near-delimiter must survive
        byte[] tricky = ("x\r\n--" + B.substring(0, 10) + "\r\n--").getBytes(StandardCharsets.UTF_8);
        System.arraycopy(tricky, 0, file, 5000, tricky.length);
        byte[] body = form(requestsPart("key", "up/${filename}") + requestsPart("Policy", "p=="), file, "");
        for (int piece : new int[] {1, 7, 64, 8192, body.length}) {
            Parsed r = parse(body, piece);
            assertEquals(Map.of("key", "up/${filename}", "policy", "p=="), r.fields(), "piece " + piece);
            assertEquals("a.bin", r.filename());
            assertArrayEquals(file, r.file(), "piece " + piece);
            assertTrue(r.complete());
        }
    }

    @Test
    void browserStyleFormWithEmptyFileAndFieldsAfterTheFileIgnored() {
        byte[] body = form(browserPart("key", "k") + browserPart("x-amz-meta-a", "é"), new byte[0],
                browserPart("key", "ignored") + browserPart("late", "x"));
        Parsed r = parse(body, 3);
        assertEquals(Map.of("key", "k", "x-amz-meta-a", "é"), r.fields());
        assertEquals(0, r.file().length);
    }

    @Test
    void fieldsBeforeTheFileAreBoundedBy20KiB() {
        String big = "a".repeat(FormStream.MAX_PRE_DATA);
        S3Exception e = assertThrows(S3Exception.class, () -> parse(form(browserPart("x", big), new byte[1], ""), 4096));
        assertEquals("MaxPostPreDataLengthExceeded", e.code().code());
        assertEquals("20480", e.details().get("MaxPostPreDataLengthBytes"));
        // a header block that never ends is bounded too
        byte[] endless = ("--" + B + "\r\nContent-Disposition: form-data; name=\"" + "n".repeat(30_000))
                .getBytes(StandardCharsets.UTF_8);
        assertThrows(S3Exception.class, () -> parse(endless, 1000));
        // a preamble without any delimiter as well
        assertThrows(S3Exception.class, () -> parse("z".repeat(30_000).getBytes(StandardCharsets.UTF_8), 1000));
    }

    @Test
    void malformedAndIncompleteForms() {
        byte[] whole = form(browserPart("key", "k"), "data".getBytes(StandardCharsets.UTF_8), "");
        byte[] truncated = java.util.Arrays.copyOf(whole, whole.length - 20);
        assertEquals("MalformedPOSTRequest", assertThrows(S3Exception.class, () -> parse(truncated, 50)).code().code());
        byte[] noFile = (browserPart("key", "k") + "--" + B + "--\r\n").getBytes(StandardCharsets.UTF_8);
        S3Exception e = assertThrows(S3Exception.class, () -> parse(noFile, 50));
        assertEquals("InvalidArgument", e.code().code());
        assertEquals("POST requires exactly one file upload per request.", e.getMessage());
        byte[] noName = ("--" + B + "\r\nContent-Type: text/plain\r\n\r\nv\r\n--" + B + "--\r\n")
                .getBytes(StandardCharsets.UTF_8);
        assertEquals("MalformedPOSTRequest", assertThrows(S3Exception.class, () -> parse(noName, 50)).code().code());
        byte[] garbage = ("--" + B + "garbage\r\n").getBytes(StandardCharsets.UTF_8);
        assertEquals("MalformedPOSTRequest", assertThrows(S3Exception.class, () -> parse(garbage, 50)).code().code());
    }

    @Test
    void boundaryComesFromTheContentType() {
        assertEquals("abc", FormStream.boundary("multipart/form-data; boundary=abc"));
        assertEquals("a b", FormStream.boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b\""));
        for (String bad : new String[] {null, "multipart/form-data", "multipart/form-data; boundary=",
                "text/plain; boundary=x", "multipart/form-data; boundary=" + "x".repeat(71)}) {
            assertEquals("MalformedPOSTRequest", assertThrows(S3Exception.class, () -> FormStream.boundary(bad))
                    .code().code(), String.valueOf(bad));
        }
    }
}
