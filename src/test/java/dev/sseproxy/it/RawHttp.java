package dev.sseproxy.it;

import dev.sseproxy.auth.SigV4;
import dev.sseproxy.auth.SigV4Signer;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP/1.1 on a raw socket, for requests no client library would send: every byte of the request
 * (framing, headers, body) is the caller's. Requests are signed with the production SigV4 signer.
 * The body is written on its own thread while the response is read, so a server that answers
 * early (and stops reading) cannot deadlock the test.
 */
final class RawHttp {
    /** How long a response may take before the connection counts as hung. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final String REGION = "us-east-1";

    private RawHttp() {
    }

    static String host() {
        return ProxyProcess.get().endpoint().getHost() + ":" + ProxyProcess.get().endpoint().getPort();
    }

    /** What came back: a response, or a connection closed without one ({@code status == -1}). */
    record Response(int status, String statusLine, Map<String, List<String>> headers, byte[] body) {
        static Response closed() {
            return new Response(-1, "", Map.of(), new byte[0]);
        }

        boolean isClosedWithoutResponse() {
            return status < 0;
        }

        /** First value of a header (name case-insensitive), or null. */
        String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** Text of the first {@code <name>} element of the body, or null. */
        String element(String name) {
            Matcher m = Pattern.compile("<" + name + ">(.*?)</" + name + ">", Pattern.DOTALL).matcher(text());
            return m.find() ? unescape(m.group(1)) : null;
        }

        String code() {
            return element("Code");
        }

        String message() {
            return element("Message");
        }

        @Override
        public String toString() {
            String t = text();
            return statusLine + " " + headers + " " + (t.length() > 600 ? t.substring(0, 600) + "..." : t);
        }

        private static String unescape(String s) {
            return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
                    .replace("&amp;", "&");
        }
    }

    /** A request as it goes on the wire. */
    static final class Req {
        private final String method;
        private final String path;
        private final String query;
        private String version = "HTTP/1.1";
        private final List<String[]> headers = new ArrayList<>();
        private byte[] body = new byte[0];
        private boolean contentLength = true;

        Req(String method, String rawPath, String rawQuery) {
            this.method = method;
            this.path = rawPath;
            this.query = rawQuery;
            headers.add(new String[] {"Host", host()});
        }

        static Req of(String method, String rawPath) {
            return new Req(method, rawPath, null);
        }

        static Req of(String method, String rawPath, String rawQuery) {
            return new Req(method, rawPath, rawQuery);
        }

        Req version(String v) {
            this.version = v;
            return this;
        }

        /** Adds a header (as sent: several with one name are several lines). */
        Req header(String name, String value) {
            headers.add(new String[] {name, value});
            return this;
        }

        /** Replaces every header of this name (case-insensitive) by one, or removes it when value is null. */
        Req set(String name, String value) {
            headers.removeIf(h -> h[0].equalsIgnoreCase(name));
            if (value != null) {
                headers.add(new String[] {name, value});
            }
            return this;
        }

        String get(String name) {
            return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).findFirst().orElse(null);
        }

        Req body(byte[] b) {
            this.body = b;
            return this;
        }

        Req body(String s) {
            return body(s.getBytes(StandardCharsets.UTF_8));
        }

        /** Sends no Content-Length header unless one was added explicitly. */
        Req noContentLength() {
            this.contentLength = false;
            return this;
        }

        byte[] body() {
            return body;
        }

        String method() {
            return method;
        }

        /** Signs as root with the body's SHA-256 as payload hash. */
        Req sign() {
            return sign(ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY, ProxyProcess.sha256Hex(body),
                    Instant.now(), REGION);
        }

        /** Signs as root with the given payload hash (a hex SHA-256 or a marker such as UNSIGNED-PAYLOAD). */
        Req sign(String payloadHash) {
            return sign(ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY, payloadHash, Instant.now(), REGION);
        }

        /**
         * Signs every header present so far (and Content-Length, which is added first) with the
         * production signer; adds Authorization, x-amz-date and x-amz-content-sha256.
         */
        Req sign(String accessKey, String secretKey, String payloadHash, Instant when, String region) {
            if (contentLength && get("content-length") == null && get("transfer-encoding") == null) {
                header("Content-Length", Integer.toString(body.length));
            }
            Map<String, String> toSign = new TreeMap<>();
            for (String[] h : headers) {
                toSign.merge(h[0].toLowerCase(Locale.ROOT), h[1].trim(), (a, b) -> a + "," + b);
            }
            Map<String, String> auth = SigV4Signer.sign(method, path, query, toSign, payloadHash, accessKey, secretKey,
                    region, when);
            auth.forEach(this::set);
            return this;
        }

        /** The request signature (the seed of a signed aws-chunked body). */
        String signature() {
            String auth = get("authorization");
            return auth.substring(auth.indexOf("Signature=") + "Signature=".length()).trim();
        }

        byte[] bytes() {
            StringBuilder sb = new StringBuilder();
            sb.append(method).append(' ').append(path).append(query == null ? "" : "?" + query).append(' ')
                    .append(version).append("\r\n");
            boolean hasLength = false;
            for (String[] h : headers) {
                sb.append(h[0]).append(": ").append(h[1]).append("\r\n");
                hasLength |= h[0].equalsIgnoreCase("content-length") || h[0].equalsIgnoreCase("transfer-encoding");
            }
            if (contentLength && !hasLength) {
                sb.append("Content-Length: ").append(body.length).append("\r\n");
            }
            sb.append("\r\n");
            byte[] head = sb.toString().getBytes(StandardCharsets.UTF_8);
            byte[] all = new byte[head.length + body.length];
            System.arraycopy(head, 0, all, 0, head.length);
            System.arraycopy(body, 0, all, head.length, body.length);
            return all;
        }

        Response send() throws IOException {
            return exchange(bytes(), "HEAD".equals(method));
        }
    }

    /** Signs chunks of a STREAMING-AWS4-HMAC-SHA256-PAYLOAD body, chained from the request signature. */
    static byte[] signedChunks(Req signedRequest, String secretKey, List<byte[]> chunks, int tamperIndex) {
        String amzDate = signedRequest.get("x-amz-date");
        String day = amzDate.substring(0, 8);
        String scope = SigV4.scope(day, REGION, "s3");
        byte[] key = SigV4.signingKey(secretKey, day, REGION, "s3");
        String previous = signedRequest.signature();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<byte[]> all = new ArrayList<>(chunks);
        all.add(new byte[0]);
        for (int i = 0; i < all.size(); i++) {
            byte[] c = all.get(i);
            String sts = "AWS4-HMAC-SHA256-PAYLOAD\n" + amzDate + "\n" + scope + "\n" + previous + "\n"
                    + SigV4.EMPTY_SHA256 + "\n" + ProxyProcess.sha256Hex(c);
            String sig = SigV4.sign(key, sts);
            previous = sig;
            String sent = i == tamperIndex ? (sig.charAt(0) == '0' ? "1" : "0") + sig.substring(1) : sig;
            out.writeBytes((Integer.toHexString(c.length) + ";chunk-signature=" + sent + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(c);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    /** An unsigned aws-chunked body with one trailer line (e.g. {@code x-amz-checksum-crc32:...}). */
    static byte[] unsignedChunks(List<byte[]> chunks, String trailerLine) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] c : chunks) {
            out.writeBytes((Integer.toHexString(c.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(c);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("0\r\n" + (trailerLine == null ? "" : trailerLine + "\r\n") + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /**
     * Sends raw bytes on a new connection and reads one response (skipping 1xx). Returns
     * {@link Response#closed()} when the server closed the connection without answering.
     *
     * @throws SocketTimeoutException when nothing (or not all of the response) arrived within {@link #TIMEOUT}
     */
    static Response exchange(byte[] request, boolean head) throws IOException {
        try (Socket s = new Socket(ProxyProcess.get().endpoint().getHost(), ProxyProcess.get().endpoint().getPort())) {
            s.setSoTimeout((int) TIMEOUT.toMillis());
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            Thread writer = new Thread(() -> {
                try {
                    out.write(request);
                    out.flush();
                } catch (IOException e) {
                    // the server may answer and close before reading everything: the response decides
                }
            }, "raw-http-writer");
            writer.setDaemon(true);
            writer.start();
            try {
                BufferedInputStream in = new BufferedInputStream(s.getInputStream());
                Response r = read(in, head, System.nanoTime() + TIMEOUT.toNanos());
                if (head && !r.isClosedWithoutResponse()) {
                    // a HEAD response has no body: anything that follows the header block is a bug
                    s.setSoTimeout(300);
                    ByteArrayOutputStream stray = new ByteArrayOutputStream();
                    try {
                        byte[] buf = new byte[4096];
                        int n;
                        while ((n = in.read(buf)) > 0) {
                            stray.write(buf, 0, n);
                        }
                    } catch (IOException e) {
                        // timeout (nothing more came) or reset after the response: both fine
                    }
                    r = new Response(r.status(), r.statusLine(), r.headers(), stray.toByteArray());
                }
                return r;
            } finally {
                writer.interrupt();
            }
        }
    }

    /** Reads one response from a connection (skipping 1xx interim responses). */
    static Response read(InputStream in, boolean head, long deadlineNanos) throws IOException {
        while (true) {
            String statusLine;
            try {
                statusLine = line(in, deadlineNanos);
            } catch (java.net.SocketException e) {
                // reset by the server before any byte of a response
                return Response.closed();
            }
            if (statusLine == null) {
                return Response.closed();
            }
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                throw new IOException("not an HTTP response: " + statusLine);
            }
            int status = Integer.parseInt(parts[1]);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            String l;
            while ((l = line(in, deadlineNanos)) != null && !l.isEmpty()) {
                int colon = l.indexOf(':');
                headers.computeIfAbsent(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(l.substring(colon + 1).trim());
            }
            if (status >= 100 && status < 200) {
                continue;
            }
            byte[] body;
            List<String> te = headers.get("transfer-encoding");
            List<String> cl = headers.get("content-length");
            if (head || status == 204 || status == 304) {
                body = new byte[0];
            } else if (te != null && te.get(0).toLowerCase(Locale.ROOT).contains("chunked")) {
                body = dechunk(in, deadlineNanos);
            } else if (cl != null) {
                body = exactly(in, Integer.parseInt(cl.get(0)), deadlineNanos);
            } else {
                body = untilClose(in, deadlineNanos);
            }
            return new Response(status, statusLine, headers, body);
        }
    }

    private static void checkDeadline(long deadlineNanos) throws SocketTimeoutException {
        if (System.nanoTime() > deadlineNanos) {
            throw new SocketTimeoutException("no complete response within " + TIMEOUT.toSeconds() + " s");
        }
    }

    private static String line(InputStream in, long deadlineNanos) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            checkDeadline(deadlineNanos);
            if (c == '\n') {
                byte[] bytes = b.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    private static byte[] exactly(InputStream in, int n, long deadlineNanos) throws IOException {
        byte[] b = new byte[n];
        int off = 0;
        while (off < n) {
            checkDeadline(deadlineNanos);
            int r = in.read(b, off, n - off);
            if (r < 0) {
                throw new IOException("connection closed after " + off + " of " + n + " body bytes");
            }
            off += r;
        }
        return b;
    }

    private static byte[] dechunk(InputStream in, long deadlineNanos) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            String size = line(in, deadlineNanos);
            if (size == null) {
                throw new IOException("connection closed inside a chunked response");
            }
            int n = Integer.parseInt(size.split(";")[0].trim(), 16);
            if (n == 0) {
                String t;
                while ((t = line(in, deadlineNanos)) != null && !t.isEmpty()) {
                    // trailers ignored
                }
                return out.toByteArray();
            }
            out.writeBytes(exactly(in, n, deadlineNanos));
            line(in, deadlineNanos);
        }
    }

    private static byte[] untilClose(InputStream in, long deadlineNanos) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int r;
        while ((r = in.read(buf)) >= 0) {
            checkDeadline(deadlineNanos);
            out.write(buf, 0, r);
        }
        return out.toByteArray();
    }

    /** Sleeps without throwing. */
    static void pause(long ms) {
        try {
            TimeUnit.MILLISECONDS.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
