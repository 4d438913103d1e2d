package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sseproxy.auth.SigV4;
import dev.sseproxy.it.RawHttp.Req;
import dev.sseproxy.it.RawHttp.Response;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Malformed requests on raw sockets. Each must get an answer within {@link RawHttp#TIMEOUT} (no
 * hung connection), with a status below 500, and any error body must be an S3 {@code <Error>}
 * document with a {@code <Code>}. Where the expected S3 error is clear it is asserted too.
 *
 * <p>A connection closed without any response is accepted only for the cases marked
 * {@link Framing#BROKEN}: requests whose HTTP message framing itself cannot be parsed (garbage
 * request line, invalid or conflicting Content-Length / Transfer-Encoding, malformed header
 * lines, bad HTTP chunk sizes), where a server cannot tell where the request ends and closing is
 * the safe answer (RFC 9112 section 6.3).
 */
class MalformedRequestsIT {
    static final String OBJ = "obj";
    static final String MP = "mp-object";

    static S3Client s3;
    static String bucket;
    /** A second bucket for keys with control characters, so they cannot disturb the other cases. */
    static String oddBucket;
    static String uploadId;

    /** Whether the HTTP framing of the request is intact (an answer is required) or broken (closing is allowed). */
    enum Framing { INTACT, BROKEN }

    /** One malformed request: how it is built, and what is known about the right answer (null: anything below 500). */
    record Case(String name, Framing framing, Integer status, String code, Supplier<byte[]> request) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void setUp() {
        s3 = Clients.sdk();
        bucket = Clients.bucketName("malformed");
        oddBucket = Clients.bucketName("malformed-odd");
        s3.createBucket(b -> b.bucket(bucket));
        s3.createBucket(b -> b.bucket(oddBucket));
        s3.putObject(b -> b.bucket(bucket).key(OBJ), RequestBody.fromString("hello world"));
        s3.putObject(b -> b.bucket(oddBucket).key("ctl\u0001key"), RequestBody.fromString("x"));
        uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(MP)).uploadId();
    }

    @AfterAll
    static void proxyStillServes() throws Exception {
        try {
            assertTrue(ProcessHandle.of(ProxyProcess.get().pid()).map(ProcessHandle::isAlive).orElse(false),
                    "the proxy process died");
            Response r = Req.of("GET", "/" + bucket + "/" + OBJ).sign().send();
            assertEquals(200, r.status(), r::toString);
            assertEquals("hello world", r.text());
            assertEquals(200, Req.of("GET", "/" + oddBucket, "list-type=2").sign().send().status());
        } finally {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(MP).uploadId(uploadId));
            s3.close();
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("cases")
    void malformedRequestGetsAnS3ErrorPromptly(String name, Case c) throws Exception {
        byte[] wire = c.request().get();
        boolean head = wire.length > 5 && new String(wire, 0, 5, StandardCharsets.ISO_8859_1).equals("HEAD ");
        Response r;
        try {
            r = RawHttp.exchange(wire, head);
        } catch (SocketTimeoutException e) {
            fail(name + ": no response within " + RawHttp.TIMEOUT.toSeconds() + " s (hung connection)");
            return;
        }
        if (r.isClosedWithoutResponse()) {
            assertEquals(Framing.BROKEN, c.framing(), name + ": connection closed without a response");
            return;
        }
        assertTrue(r.status() < 500, () -> name + ": server error " + r);
        if (c.status() != null) {
            assertEquals(c.status().intValue(), r.status(), () -> name + ": " + r);
        }
        if (r.status() >= 300 && r.body().length > 0) {
            assertS3ErrorDocument(name, r);
        }
        if (c.code() != null) {
            assertEquals(c.code(), r.code(), () -> name + ": " + r);
        }
    }

    /** Malformed POST Object forms: each gets a clear S3 error, at once, and stores nothing. */
    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("postFormCases")
    void malformedPostFormGetsAnS3Error(String name, Case c) throws Exception {
        malformedRequestGetsAnS3ErrorPromptly(name, c);
    }

    static final String FORM_BOUNDARY = "----malformedForm42";

    /** A POST Object request to the bucket with this Content-Type and body (Content-Length exact). */
    static Supplier<byte[]> form(String contentType, String body) {
        return () -> {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            String head = "POST /" + bucket + " HTTP/1.1\r\nHost: " + RawHttp.host() + "\r\nContent-Type: " + contentType
                    + "\r\nContent-Length: " + b.length + "\r\n\r\n";
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(b);
            return out.toByteArray();
        };
    }

    static String part(String name, String value) {
        return "--" + FORM_BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
    }

    static String filePart(String content) {
        return "--" + FORM_BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.txt\"\r\n\r\n"
                + content + "\r\n";
    }

    static Stream<Arguments> postFormCases() {
        String ct = "multipart/form-data; boundary=" + FORM_BOUNDARY;
        String end = "--" + FORM_BOUNDARY + "--\r\n";
        String sigFields = part("x-amz-algorithm", "AWS4-HMAC-SHA256")
                + part("x-amz-credential", ProxyProcess.ROOT_ACCESS_KEY + "/20250101/us-east-1/s3/aws4_request")
                + part("x-amz-date", "20250101T000000Z") + part("x-amz-signature", "0".repeat(64));
        List<Case> c = new ArrayList<>();
        c.add(ok("POST form without a boundary", 400, "MalformedPOSTRequest",
                form("multipart/form-data", part("key", "k") + filePart("x") + end)));
        c.add(ok("POST form that is not multipart", 400, "MalformedPOSTRequest",
                form("application/x-www-form-urlencoded", "key=k&file=x")));
        c.add(ok("POST form truncated inside a field", 400, "MalformedPOSTRequest",
                form(ct, part("key", "k") + "--" + FORM_BOUNDARY + "\r\nContent-Disposition: form-data; name=\"acl\"\r\n\r\npri")));
        c.add(ok("POST form with a 30 KiB field before the file", 400, "MaxPostPreDataLengthExceeded",
                form(ct, part("key", "k") + part("x-amz-meta-big", "a".repeat(30 * 1024)) + filePart("x") + end)));
        c.add(ok("POST form whose part headers never end", 400, "MaxPostPreDataLengthExceeded",
                form(ct, "--" + FORM_BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + "n".repeat(30 * 1024))));
        c.add(ok("POST form without a file field", 400, "InvalidArgument",
                form(ct, part("key", "k") + part("policy", "e30=") + end)));
        c.add(ok("POST form with a part without a name", 400, "MalformedPOSTRequest",
                form(ct, "--" + FORM_BOUNDARY + "\r\nContent-Type: text/plain\r\n\r\nv\r\n" + filePart("x") + end)));
        c.add(ok("POST form with the policy and signature after the file", 403, "AccessDenied",
                form(ct, part("key", "k") + filePart("x") + part("policy", "e30=") + sigFields + end)));
        c.add(ok("POST form with a garbage base64 policy", 400, "InvalidPolicyDocument",
                form(ct, part("key", "k") + part("policy", "%%%garbage%%%") + sigFields + filePart("x") + end)));
        c.add(ok("POST form with a policy that is not JSON", 400, "InvalidPolicyDocument",
                form(ct, part("key", "k") + part("policy", Base64.getEncoder().encodeToString(
                        "{\"expiration\": [".getBytes(StandardCharsets.UTF_8))) + sigFields + filePart("x") + end)));
        c.add(ok("POST form with an empty body", 400, "MalformedPOSTRequest", form(ct, "")));
        c.add(ok("POST form closed before any part", 400, "InvalidArgument", form(ct, end)));
        c.add(ok("POST form with garbage after the boundary", 400, "MalformedPOSTRequest",
                form(ct, "--" + FORM_BOUNDARY + "junk\r\n" + end)));
        return c.stream().map(x -> Arguments.of(x.name(), x));
    }

    static void assertS3ErrorDocument(String name, Response r) {
        Document doc;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(r.body()));
        } catch (Exception e) {
            fail(name + ": error body is not XML (" + e.getMessage() + "): " + r);
            return;
        }
        assertEquals("Error", doc.getDocumentElement().getTagName(), () -> name + ": " + r);
        var codes = doc.getElementsByTagName("Code");
        assertEquals(1, codes.getLength(), () -> name + ": " + r);
        assertFalse(codes.item(0).getTextContent().isBlank(), () -> name + ": empty Code " + r);
    }

    // ---- case construction ----

    static Case ok(String name, Integer status, String code, Supplier<byte[]> request) {
        return new Case(name, Framing.INTACT, status, code, request);
    }

    static Case broken(String name, Supplier<byte[]> request) {
        return new Case(name, Framing.BROKEN, null, null, request);
    }

    /** A literal request; {b} is the bucket, {odd} the second bucket, {host} the Host value. */
    static Supplier<byte[]> raw(String text) {
        return () -> text.replace("{b}", bucket).replace("{odd}", oddBucket).replace("{host}", RawHttp.host())
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    static Supplier<byte[]> raw(byte[] prefix, byte[] rest) {
        return () -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(prefix);
            out.writeBytes(rest);
            return out.toByteArray();
        };
    }

    static Supplier<byte[]> req(Supplier<Req> r) {
        return () -> r.get().bytes();
    }

    static String amzNow() {
        return SigV4.amzDate(Instant.now());
    }

    static String day() {
        return amzNow().substring(0, 8);
    }

    static String md5(byte[] b) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(b));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** GET /bucket with a hand-written Authorization header ({day}: today, {sig}: 64 hex). */
    static Supplier<byte[]> authorization(String template) {
        return req(() -> Req.of("GET", "/" + bucket).header("x-amz-date", amzNow())
                .header("x-amz-content-sha256", SigV4.EMPTY_SHA256)
                .header("Authorization", template.replace("{day}", day()).replace("{sig}", "a".repeat(64))));
    }

    /** A correctly signed GET /bucket whose x-amz-date is then replaced. */
    static Supplier<byte[]> amzDate(String value) {
        return req(() -> Req.of("GET", "/" + bucket).sign().set("x-amz-date", value));
    }

    /** A signed request with the given x-amz-content-sha256 (null: header removed after signing). */
    static Supplier<byte[]> contentSha(String method, String path, String value, String body) {
        return req(() -> {
            Req r = Req.of(method, path).body(body);
            return value == null ? r.sign().set("x-amz-content-sha256", null) : r.sign(value);
        });
    }

    /** PUT of an aws-chunked body in STREAMING-UNSIGNED-PAYLOAD-TRAILER mode with the given framing. */
    static Supplier<byte[]> awsChunked(String encoded, String decodedLength) {
        return awsChunked(encoded.getBytes(StandardCharsets.ISO_8859_1), decodedLength, "x-amz-checksum-crc32");
    }

    static Supplier<byte[]> awsChunked(byte[] encoded, String decodedLength, String trailer) {
        return req(() -> {
            Req r = Req.of("PUT", "/" + bucket + "/chunked").header("Content-Encoding", "aws-chunked");
            if (decodedLength != null) {
                r.header("x-amz-decoded-content-length", decodedLength);
            }
            if (trailer != null) {
                r.header("x-amz-trailer", trailer);
            }
            return r.body(encoded).sign("STREAMING-UNSIGNED-PAYLOAD-TRAILER");
        });
    }

    /** PUT in STREAMING-AWS4-HMAC-SHA256-PAYLOAD mode with a hand-written body. */
    static Supplier<byte[]> signedChunked(String encoded) {
        return req(() -> Req.of("PUT", "/" + bucket + "/chunked").header("Content-Encoding", "aws-chunked")
                .header("x-amz-decoded-content-length", "5").body(encoded)
                .sign("STREAMING-AWS4-HMAC-SHA256-PAYLOAD"));
    }

    static Supplier<byte[]> deleteObjects(byte[] body) {
        return req(() -> Req.of("POST", "/" + bucket, "delete").header("Content-MD5", md5(body)).body(body).sign());
    }

    static Supplier<byte[]> deleteObjects(String body) {
        return deleteObjects(body.getBytes(StandardCharsets.UTF_8));
    }

    static Supplier<byte[]> complete(byte[] body) {
        return req(() -> Req.of("POST", "/" + bucket + "/" + MP, "uploadId=" + uploadId).body(body).sign());
    }

    static Supplier<byte[]> complete(String body) {
        return complete(body.getBytes(StandardCharsets.UTF_8));
    }

    static Supplier<byte[]> get(String rawPath, String rawQuery) {
        return req(() -> Req.of("GET", rawPath.replace("{b}", bucket).replace("{odd}", oddBucket), rawQuery).sign());
    }

    static Supplier<byte[]> put(String rawPath, String rawQuery, String body) {
        return req(() -> Req.of("PUT", rawPath.replace("{b}", bucket).replace("{odd}", oddBucket), rawQuery)
                .body(body).sign());
    }

    static Supplier<byte[]> withHeader(String method, String rawPath, String name, String value, String body) {
        return req(() -> Req.of(method, rawPath.replace("{b}", bucket)).header(name, value).body(body).sign());
    }

    static Supplier<byte[]> presigned(String query) {
        return req(() -> Req.of("GET", "/" + bucket + "/" + OBJ, query.replace("{day}", day())
                .replace("{now}", amzNow()).replace("{sig}", "a".repeat(64))).noContentLength());
    }

    static String nested(String root, String element, int depth) {
        return "<" + root + ">" + ("<" + element + ">").repeat(depth) + ("</" + element + ">").repeat(depth)
                + "</" + root + ">";
    }

    static byte[] big(String prefix, int size, String suffix) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(size + 100);
        out.writeBytes(prefix.getBytes(StandardCharsets.UTF_8));
        out.writeBytes("k".repeat(size).getBytes(StandardCharsets.UTF_8));
        out.writeBytes(suffix.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    static final String PRESIGN = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=it-root%2F{day}%2Fus-east-1%2Fs3"
            + "%2Faws4_request&X-Amz-Date={now}&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-Signature={sig}";
    static final String LAUGHS = "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\">"
            + "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
            + "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\"><!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">"
            + "<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\"><!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">]>"
            + "<Delete><Object><Key>&g;</Key></Object></Delete>";
    static final String XXE = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
            + "<Delete><Object><Key>&x;</Key></Object></Delete>";
    static final String CRED = "AWS4-HMAC-SHA256 Credential=it-root/{day}/us-east-1/s3/aws4_request";

    static Stream<Arguments> cases() {
        List<Case> c = new ArrayList<>();
        String hello = "b\r\nhello world\r\n";
        String crcTrailer = "x-amz-checksum-crc32:DUoRhQ==\r\n\r\n";

        // -- HTTP message framing and request line --
        c.add(broken("garbage request line", raw("GARBAGE\r\n\r\n")));
        c.add(broken("binary garbage", raw(new byte[] {1, 2, 3, (byte) 0xff, (byte) 0xfe, 0, 'x', '/'},
                "\r\n\r\n".getBytes(StandardCharsets.US_ASCII))));
        c.add(broken("request line without version", raw("GET /{b}\r\n\r\n")));
        c.add(broken("unknown HTTP version", raw("GET /{b} HTTP/9.9\r\nHost: {host}\r\n\r\n")));
        c.add(broken("space inside the request target", raw("GET /{b}/a b HTTP/1.1\r\nHost: {host}\r\n\r\n")));
        c.add(broken("header line without colon", raw("GET /{b} HTTP/1.1\r\nHost: {host}\r\nNoColonHere\r\n\r\n")));
        c.add(broken("space before header colon", raw("GET /{b} HTTP/1.1\r\nHost: {host}\r\nX-Foo : b\r\n\r\n")));
        c.add(broken("NUL in a header value", raw("GET /{b} HTTP/1.1\r\nHost: {host}\r\nX-Foo: a\0b\r\n\r\n")));
        c.add(broken("non-ASCII header name", raw("GET /{b} HTTP/1.1\r\nHost: {host}\r\nX-F\u00f6o: b\r\n\r\n")));
        c.add(broken("Content-Length not a number", raw("PUT /{b}/x HTTP/1.1\r\nHost: {host}\r\nContent-Length: abc\r\n\r\nhello")));
        c.add(broken("Content-Length negative", raw("PUT /{b}/x HTTP/1.1\r\nHost: {host}\r\nContent-Length: -1\r\n\r\nhello")));
        c.add(broken("Content-Length beyond 2^64", raw("PUT /{b}/x HTTP/1.1\r\nHost: {host}\r\n"
                + "Content-Length: 99999999999999999999\r\n\r\nhello")));
        c.add(broken("Content-Length with plus sign", raw("PUT /{b}/x HTTP/1.1\r\nHost: {host}\r\nContent-Length: +1\r\n\r\na")));
        c.add(broken("two different Content-Length", raw("PUT /{b}/x HTTP/1.1\r\nHost: {host}\r\nContent-Length: 1\r\n"
                + "Content-Length: 2\r\n\r\nab")));
        c.add(broken("Content-Length and Transfer-Encoding together", raw("PUT /{b}/x HTTP/1.1\r\nHost: {host}\r\n"
                + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")));
        c.add(broken("Content-Length and Transfer-Encoding on a signed aws-chunked PUT", req(() -> Req.of("PUT",
                "/" + bucket + "/te-cl").header("Content-Encoding", "aws-chunked").header("x-amz-decoded-content-length", "11")
                .header("x-amz-trailer", "x-amz-checksum-crc32").header("Transfer-Encoding", "chunked")
                .header("Content-Length", "40").body(httpChunked(hello + "0\r\n" + crcTrailer))
                .sign("STREAMING-UNSIGNED-PAYLOAD-TRAILER"))));
        c.add(broken("HTTP chunk size not hex", raw("PUT /{b}/x HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "zz\r\nab\r\n0\r\n\r\n")));
        c.add(broken("HTTP chunk size overflowing", raw("PUT /{b}/x HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: chunked\r\n"
                + "\r\nffffffffffffffffffff\r\nab\r\n0\r\n\r\n")));
        c.add(broken("Transfer-Encoding chunked twice", raw("PUT /{b}/x HTTP/1.1\r\nHost: {host}\r\n"
                + "Transfer-Encoding: chunked, chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n")));
        c.add(broken("Transfer-Encoding gzip", raw("PUT /{b}/x HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: gzip\r\n\r\nab")));
        c.add(ok("HTTP/1.0 without Host", 403, "AccessDenied", raw("GET /{b} HTTP/1.0\r\n\r\n")));
        c.add(ok("HTTP/1.1 without Host", 400, null, raw("GET /{b} HTTP/1.1\r\n\r\n")));
        c.add(ok("unparseable Host", 400, null, raw("GET /{b} HTTP/1.1\r\nHost: [::zz\r\n\r\n")));
        c.add(ok("two Host headers", null, null, raw("GET /{b} HTTP/1.1\r\nHost: {host}\r\nHost: other\r\n\r\n")));
        c.add(ok("obsolete line folding", 403, "AccessDenied", raw("GET /{b} HTTP/1.1\r\nHost: {host}\r\nX-Foo: a\r\n  folded\r\n\r\n")));
        c.add(ok("non-ASCII header value", 403, "AccessDenied", raw("GET /{b} HTTP/1.1\r\nHost: {host}\r\nX-Foo: \u00ff\u00fe\r\n\r\n")));
        c.add(ok("empty header name", null, null, raw("GET /{b} HTTP/1.1\r\nHost: {host}\r\n: b\r\n\r\n")));
        c.add(ok("70 KB header value", 431, null, raw("GET /{b} HTTP/1.1\r\nHost: {host}\r\nX-Foo: " + "a".repeat(70_000) + "\r\n\r\n")));
        c.add(ok("3000 headers", 403, "AccessDenied", raw("GET /{b} HTTP/1.1\r\nHost: {host}\r\n"
                + "X-H: v\r\n".repeat(3000) + "\r\n")));
        c.add(ok("20 KB request target", 414, null, raw("GET /{b}/" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: {host}\r\n\r\n")));
        c.add(ok("absolute-form request target", 403, "AccessDenied", raw("GET http://evil.example/{b} HTTP/1.1\r\nHost: {host}\r\n\r\n")));
        c.add(ok("asterisk-form request target", null, null, raw("OPTIONS * HTTP/1.1\r\nHost: {host}\r\n\r\n")));
        c.add(ok("target without leading slash", null, null, raw("GET {b} HTTP/1.1\r\nHost: {host}\r\n\r\n")));
        // anonymous requests reach the bucket lookup (ACLs may allow them): "{b}#frag" is no bucket
        c.add(ok("fragment in request target", 404, "NoSuchBucket", raw("GET /{b}#frag HTTP/1.1\r\nHost: {host}\r\n\r\n")));
        c.add(ok("raw UTF-8 in path", 403, "AccessDenied", raw("GET /{b}/\u00c3\u00a4 HTTP/1.1\r\nHost: {host}\r\n\r\n")));
        c.add(ok("invalid UTF-8 in path", 403, "AccessDenied", raw("GET /{b}/\u00ff\u00fe HTTP/1.1\r\nHost: {host}\r\n\r\n")));
        c.add(ok("h2c upgrade with invalid HTTP2-Settings", null, null, raw("GET /{b} HTTP/1.1\r\nHost: {host}\r\n"
                + "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: !!!\r\n\r\n")));
        c.add(ok("Expect with an unknown expectation", null, null, req(() -> Req.of("PUT", "/" + bucket + "/expect")
                .header("Expect", "200-ok").body("a").sign())));
        c.add(ok("Expect 100-continue on a rejected anonymous PUT", 403, "AccessDenied", raw("PUT /{b}/x HTTP/1.1\r\n"
                + "Host: {host}\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello")));
        c.add(ok("6 GB Content-Length", 400, "EntityTooLarge", req(() -> Req.of("PUT", "/" + bucket + "/huge")
                .header("Content-Length", "6000000000").body("hello").sign("UNSIGNED-PAYLOAD"))));
        c.add(ok("PUT without Content-Length", 411, "MissingContentLength", req(() -> Req.of("PUT", "/" + bucket + "/nolen")
                .noContentLength().sign())));

        // -- methods --
        c.add(ok("unknown method", 405, "MethodNotAllowed", req(() -> Req.of("FOO", "/" + bucket).sign())));
        c.add(ok("lower-case method", 405, "MethodNotAllowed", raw("get /{b} HTTP/1.1\r\nHost: {host}\r\n\r\n")));
        c.add(ok("TRACE", 405, "MethodNotAllowed", req(() -> Req.of("TRACE", "/" + bucket).sign())));
        c.add(ok("PATCH on an object", 405, "MethodNotAllowed", req(() -> Req.of("PATCH", "/" + bucket + "/" + OBJ).sign())));
        c.add(ok("OPTIONS on an object without Origin", null, null, req(() -> Req.of("OPTIONS", "/" + bucket + "/" + OBJ).sign())));
        c.add(ok("CONNECT", null, null, raw("CONNECT 127.0.0.1:9000 HTTP/1.1\r\nHost: {host}\r\n\r\n")));
        c.add(ok("DELETE on the service", 405, "MethodNotAllowed", req(() -> Req.of("DELETE", "/").sign())));
        c.add(ok("PUT on the service", 405, "MethodNotAllowed", req(() -> Req.of("PUT", "/").sign())));
        c.add(ok("POST on an object without sub-resource", 405, "MethodNotAllowed",
                req(() -> Req.of("POST", "/" + bucket + "/" + OBJ).sign())));

        // -- paths and keys --
        c.add(ok("%zz in the key", 400, null, get("/{b}/a%zz", null)));
        c.add(ok("lone % at the end of the key", 400, null, get("/{b}/a%", null)));
        c.add(ok("%00 in the key (GET)", 400, null, get("/{b}/a%00b", null)));
        c.add(ok("%00 in the key (PUT)", 400, null, put("/{b}/a%00b", null, "x")));
        c.add(ok("%00 in the key (HEAD)", 400, null, req(() -> Req.of("HEAD", "/" + bucket + "/a%00b").sign())));
        c.add(ok("%00 in the bucket name", 404, "NoSuchBucket", get("/b%00x/k", null)));
        c.add(ok("%00 in a CreateBucket name", 400, "InvalidBucketName", put("/b%00x", null, "")));
        c.add(ok("control character in the key (PUT)", 200, null, put("/{odd}/ctl%01key", null, "x")));
        c.add(ok("control character in the key (GET)", 200, null, get("/{odd}/ctl%01key", null)));
        c.add(ok("listing a bucket with a control character key", 200, null, get("/{odd}", "list-type=2")));
        c.add(ok("listing with a control character prefix", 200, null, get("/{odd}", "list-type=2&prefix=ctl%01")));
        c.add(ok("dot-dot segments", 400, null, get("/{b}/../etc/passwd", null)));
        c.add(ok("dot segment", 400, null, put("/{b}/a/./b", null, "x")));
        c.add(ok("percent-encoded dot-dot", 400, null, get("/{b}/%2e%2e/x", null)));
        c.add(ok("empty bucket segment", null, null, get("//" + "x", null)));
        c.add(ok("1100-byte key (PUT)", 400, "KeyTooLongError", req(() -> Req.of("PUT", "/" + bucket + "/" + "k".repeat(1100))
                .body("x").sign())));
        c.add(ok("1200-byte multibyte key (PUT)", 400, "KeyTooLongError", req(() -> Req.of("PUT", "/" + bucket + "/"
                + "%C3%A9".repeat(600)).body("x").sign())));
        c.add(ok("1100-byte key (CreateMultipartUpload)", 400, "KeyTooLongError", req(() -> Req.of("POST", "/" + bucket
                + "/" + "k".repeat(1100), "uploads").sign())));
        c.add(ok("1100-byte key (GET)", 400, null, get("/{b}/" + "k".repeat(1100), null)));
        c.add(ok("upper-case bucket name", 404, "NoSuchBucket", get("/NOT-A-VALID-BUCKET/k", null)));
        c.add(ok("10 KB bucket name", null, null, get("/" + "b".repeat(10_000), null)));

        // -- query strings --
        c.add(ok("%zz in the query", 400, null, get("/{b}", "%zz")));
        c.add(ok("%zz in a query value", 400, null, get("/{b}", "max-keys=%zz")));
        c.add(ok("max-keys beyond int", 400, "InvalidArgument", get("/{b}", "list-type=2&max-keys=99999999999")));
        c.add(ok("max-keys negative", 400, "InvalidArgument", get("/{b}", "list-type=2&max-keys=-1")));
        c.add(ok("max-keys not a number", 400, "InvalidArgument", get("/{b}", "list-type=2&max-keys=abc")));
        c.add(ok("max-keys 5000 is capped", 200, null, get("/{b}", "max-keys=5000")));
        c.add(ok("list-type 3", null, null, get("/{b}", "list-type=3")));
        c.add(ok("garbage continuation-token", 400, null, get("/{b}", "list-type=2&continuation-token=garbage")));
        c.add(ok("encoding-type not url", 400, "InvalidArgument", get("/{b}", "encoding-type=foo")));
        c.add(ok("NUL delimiter", null, null, get("/{b}", "list-type=2&delimiter=%00")));
        c.add(ok("max-uploads negative", 400, "InvalidArgument", get("/{b}", "uploads&max-uploads=-5")));
        c.add(ok("max-uploads not a number", 400, "InvalidArgument", get("/{b}", "uploads&max-uploads=abc")));
        c.add(ok("part number negative", 400, "InvalidArgument", req(() -> Req.of("PUT", "/" + bucket + "/" + MP,
                "partNumber=-1&uploadId=" + uploadId).body("x").sign())));
        c.add(ok("part number zero", 400, "InvalidArgument", req(() -> Req.of("PUT", "/" + bucket + "/" + MP,
                "partNumber=0&uploadId=" + uploadId).body("x").sign())));
        c.add(ok("part number 10001", 400, "InvalidArgument", req(() -> Req.of("PUT", "/" + bucket + "/" + MP,
                "partNumber=10001&uploadId=" + uploadId).body("x").sign())));
        c.add(ok("part number not a number", 400, "InvalidArgument", req(() -> Req.of("PUT", "/" + bucket + "/" + MP,
                "partNumber=abc&uploadId=" + uploadId).body("x").sign())));
        c.add(ok("empty uploadId (UploadPart)", 404, "NoSuchUpload", put("/{b}/" + MP, "partNumber=1&uploadId=", "x")));
        c.add(ok("unknown uploadId (UploadPart)", 404, "NoSuchUpload", put("/{b}/" + MP, "partNumber=1&uploadId=garbage", "x")));
        c.add(ok("empty uploadId (ListParts)", 404, "NoSuchUpload", get("/{b}/" + MP, "uploadId=")));
        c.add(ok("max-parts negative", 400, "InvalidArgument", req(() -> Req.of("GET", "/" + bucket + "/" + MP,
                "uploadId=" + uploadId + "&max-parts=-1").sign())));
        c.add(ok("part-number-marker not a number", 400, "InvalidArgument", req(() -> Req.of("GET", "/" + bucket + "/"
                + MP, "uploadId=" + uploadId + "&part-number-marker=abc").sign())));
        c.add(ok("empty uploadId (Abort)", 404, "NoSuchUpload", req(() -> Req.of("DELETE", "/" + bucket + "/" + MP,
                "uploadId=").sign())));
        c.add(ok("GetObject partNumber zero", 400, "InvalidArgument", get("/{b}/" + OBJ, "partNumber=0")));
        c.add(ok("GetObject partNumber beyond int", 400, "InvalidArgument", get("/{b}/" + OBJ, "partNumber=99999999999")));
        c.add(ok("GetObject partNumber with Range", 400, "InvalidRequest", req(() -> Req.of("GET", "/" + bucket + "/" + OBJ,
                "partNumber=1").header("Range", "bytes=0-1").sign())));
        c.add(ok("CR LF in response-content-type", 400, "InvalidArgument", get("/{b}/" + OBJ,
                "response-content-type=a%0D%0AX-Injected:%20yes")));
        c.add(ok("NUL in response-cache-control", 400, "InvalidArgument", get("/{b}/" + OBJ,
                "response-cache-control=a%00b")));
        c.add(ok("only separators in the query", null, null, get("/{b}", "&&&=&")));
        c.add(ok("1500 query parameters", null, null, get("/{b}", "a=1&".repeat(1500))));

        // -- presigned URLs --
        c.add(ok("presigned: wrong signature", 403, "SignatureDoesNotMatch", presigned(PRESIGN)));
        c.add(ok("presigned: X-Amz-Expires missing", 400, "AuthorizationQueryParametersError",
                presigned(PRESIGN.replace("&X-Amz-Expires=300", ""))));
        c.add(ok("presigned: X-Amz-Expires negative", 400, "AuthorizationQueryParametersError",
                presigned(PRESIGN.replace("X-Amz-Expires=300", "X-Amz-Expires=-1"))));
        c.add(ok("presigned: X-Amz-Expires over a week", 400, "AuthorizationQueryParametersError",
                presigned(PRESIGN.replace("X-Amz-Expires=300", "X-Amz-Expires=9999999"))));
        c.add(ok("presigned: X-Amz-Expires overflowing", 400, "AuthorizationQueryParametersError",
                presigned(PRESIGN.replace("X-Amz-Expires=300", "X-Amz-Expires=99999999999999999999999"))));
        c.add(ok("presigned: X-Amz-Date garbage", 400, "AuthorizationQueryParametersError",
                presigned(PRESIGN.replace("X-Amz-Date={now}", "X-Amz-Date=yesterday"))));
        c.add(ok("presigned: algorithm MD5", 400, "AuthorizationQueryParametersError",
                presigned(PRESIGN.replace("AWS4-HMAC-SHA256", "MD5"))));
        c.add(ok("presigned: credential with six parts", 400, "AuthorizationQueryParametersError",
                presigned(PRESIGN.replace("it-root%2F", "it-root%2Fx%2F"))));
        c.add(ok("presigned: SigV2 query", 400, "InvalidRequest", presigned("AWSAccessKeyId=it-root&Signature=abc&Expires=1")));
        c.add(ok("presigned and Authorization header", 400, "InvalidArgument", req(() -> Req.of("GET", "/" + bucket + "/"
                + OBJ, PRESIGN.replace("{day}", day()).replace("{now}", amzNow()).replace("{sig}", "a".repeat(64)))
                .header("Authorization", CRED.replace("{day}", day())))));

        // -- Authorization header --
        c.add(ok("empty Authorization", 400, "InvalidArgument", authorization("")));
        c.add(ok("scheme only", 400, "AuthorizationHeaderMalformed", authorization("AWS4-HMAC-SHA256")));
        c.add(ok("SigV2 Authorization", 400, "InvalidRequest", authorization("AWS it-root:c2lnbmF0dXJl")));
        c.add(ok("Bearer token", 400, "InvalidArgument", authorization("Bearer xyz")));
        c.add(ok("Basic credentials", 400, "InvalidArgument", authorization("Basic dXNlcjpwYXNz")));
        c.add(ok("SigV4a Authorization", 400, "InvalidRequest",
                authorization("AWS4-ECDSA-P256-SHA256 Credential=it-root/{day}/s3/aws4_request, SignedHeaders=host, Signature={sig}")));
        c.add(ok("lower-case scheme", 400, "InvalidArgument",
                authorization("aws4-hmac-sha256 Credential=it-root/{day}/us-east-1/s3/aws4_request, SignedHeaders=host, Signature={sig}")));
        c.add(ok("no SignedHeaders", 400, "AuthorizationHeaderMalformed", authorization(CRED + ", Signature={sig}")));
        c.add(ok("no Signature", 400, "AuthorizationHeaderMalformed", authorization(CRED + ", SignedHeaders=host")));
        c.add(ok("no commas", 400, "AuthorizationHeaderMalformed", authorization(CRED + " SignedHeaders=host Signature={sig}")));
        c.add(ok("credential with three parts", 400, "AuthorizationHeaderMalformed", authorization(
                "AWS4-HMAC-SHA256 Credential=it-root/{day}/us-east-1, SignedHeaders=host;x-amz-date, Signature={sig}")));
        c.add(ok("empty access key id", 400, "AuthorizationHeaderMalformed", authorization(
                "AWS4-HMAC-SHA256 Credential=/{day}/us-east-1/s3/aws4_request, SignedHeaders=host, Signature={sig}")));
        c.add(ok("credential date not eight digits", 400, "AuthorizationHeaderMalformed", authorization(
                "AWS4-HMAC-SHA256 Credential=it-root/2024-1-1/us-east-1/s3/aws4_request, SignedHeaders=host, Signature={sig}")));
        c.add(ok("credential date not the request date", 400, "AuthorizationHeaderMalformed", authorization(
                "AWS4-HMAC-SHA256 Credential=it-root/20200101/us-east-1/s3/aws4_request, "
                        + "SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature={sig}")));
        c.add(ok("credential for service ec2", 400, "AuthorizationHeaderMalformed", authorization(
                "AWS4-HMAC-SHA256 Credential=it-root/{day}/us-east-1/ec2/aws4_request, "
                        + "SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature={sig}")));
        c.add(ok("credential terminator aws5_request", 400, "AuthorizationHeaderMalformed", authorization(
                "AWS4-HMAC-SHA256 Credential=it-root/{day}/us-east-1/s3/aws5_request, SignedHeaders=host, Signature={sig}")));
        c.add(ok("Credential twice", 400, "AuthorizationHeaderMalformed", authorization(
                CRED + ", Credential=x/{day}/us-east-1/s3/aws4_request, SignedHeaders=host, Signature={sig}")));
        c.add(ok("unknown Authorization component", 400, "AuthorizationHeaderMalformed",
                authorization(CRED + ", SignedHeaders=host, Signature={sig}, Foo=bar")));
        c.add(ok("empty SignedHeaders", 400, "AuthorizationHeaderMalformed", authorization(CRED + ", SignedHeaders=, Signature={sig}")));
        c.add(ok("empty name in SignedHeaders", 400, "AuthorizationHeaderMalformed",
                authorization(CRED + ", SignedHeaders=host;;x-amz-date, Signature={sig}")));
        c.add(ok("host not signed", 403, "AccessDenied",
                authorization(CRED + ", SignedHeaders=x-amz-content-sha256;x-amz-date, Signature={sig}")));
        c.add(ok("signature not hex", 403, "SignatureDoesNotMatch",
                authorization(CRED + ", SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=zzzz")));
        c.add(ok("empty signature", 403, "SignatureDoesNotMatch",
                authorization(CRED + ", SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=")));
        c.add(ok("non-ASCII access key id", 403, "InvalidAccessKeyId", authorization(
                "AWS4-HMAC-SHA256 Credential=\u00e4\u00f6/{day}/us-east-1/s3/aws4_request, "
                        + "SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature={sig}")));
        c.add(ok("20 KB access key id", 403, "InvalidAccessKeyId", authorization("AWS4-HMAC-SHA256 Credential="
                + "A".repeat(20_000) + "/{day}/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;"
                + "x-amz-date, Signature={sig}")));
        c.add(ok("two Authorization headers", null, null, req(() -> Req.of("GET", "/" + bucket).sign()
                .header("Authorization", CRED.replace("{day}", day()) + ", SignedHeaders=host, Signature=" + "b".repeat(64)))));

        // -- x-amz-date --
        c.add(ok("x-amz-date in extended ISO 8601", 403, "AccessDenied", amzDate("2024-01-01T00:00:00Z")));
        c.add(ok("x-amz-date garbage", 403, "AccessDenied", amzDate("garbage")));
        c.add(ok("x-amz-date empty", 403, "AccessDenied", amzDate("")));
        c.add(ok("x-amz-date without Z", 403, "AccessDenied", amzDate("20240101T000000")));
        c.add(ok("x-amz-date out of range", 403, "AccessDenied", amzDate("99999999T999999Z")));
        c.add(ok("x-amz-date with full-width digits", 403, "AccessDenied", amzDate("\uff12\uff10\uff12\uff14")));
        c.add(ok("no x-amz-date and no Date", 403, "AccessDenied", req(() -> Req.of("GET", "/" + bucket).sign()
                .set("x-amz-date", null))));
        c.add(ok("Date header garbage, no x-amz-date", 403, "AccessDenied", req(() -> Req.of("GET", "/" + bucket).sign()
                .set("x-amz-date", null).header("Date", "not a date"))));

        // -- x-amz-content-sha256 --
        c.add(ok("content-sha256 'abc'", 400, "InvalidArgument", contentSha("GET", "/" + bucket, "abc", "")));
        c.add(ok("content-sha256 of 63 hex digits", 400, "InvalidArgument", contentSha("PUT", "/" + bucket + "/s", "a".repeat(63), "x")));
        c.add(ok("content-sha256 of 64 non-hex characters", 400, "InvalidArgument", contentSha("PUT", "/" + bucket + "/s", "z".repeat(64), "x")));
        c.add(ok("content-sha256 unknown STREAMING mode", 400, "InvalidArgument", contentSha("PUT", "/" + bucket + "/s", "STREAMING-FOO", "x")));
        c.add(ok("content-sha256 lower-case unsigned-payload", 400, "InvalidArgument", contentSha("GET", "/" + bucket, "unsigned-payload", "")));
        c.add(ok("content-sha256 SigV4a streaming", 400, "InvalidRequest", contentSha("PUT", "/" + bucket + "/s",
                "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD", "x")));
        c.add(ok("content-sha256 empty", 400, "InvalidArgument", contentSha("GET", "/" + bucket, "", "")));
        c.add(ok("content-sha256 missing", 400, "InvalidRequest", contentSha("GET", "/" + bucket, null, "")));
        c.add(ok("content-sha256 twice", null, null, req(() -> Req.of("GET", "/" + bucket).sign()
                .header("x-amz-content-sha256", "UNSIGNED-PAYLOAD"))));
        c.add(ok("signed-chunk mode with a plain body", 400, null, req(() -> Req.of("PUT", "/" + bucket + "/s")
                .header("Content-Encoding", "aws-chunked").header("x-amz-decoded-content-length", "5").body("hello")
                .sign("STREAMING-AWS4-HMAC-SHA256-PAYLOAD"))));

        // -- aws-chunked bodies --
        c.add(ok("aws-chunked: size not hex", 400, "InvalidRequest", awsChunked("zz\r\nhello world\r\n0\r\n" + crcTrailer, "11")));
        c.add(ok("aws-chunked: negative size", 400, "InvalidRequest", awsChunked("-b\r\nhello world\r\n0\r\n" + crcTrailer, "11")));
        c.add(ok("aws-chunked: 15-digit size", 400, null, awsChunked("fffffffffffffff\r\nhello world\r\n0\r\n" + crcTrailer, "11")));
        c.add(ok("aws-chunked: 16-digit size", 400, "InvalidRequest", awsChunked("ffffffffffffffff\r\nhello world\r\n0\r\n"
                + crcTrailer, "11")));
        c.add(ok("aws-chunked: no CRLF after the data", 400, "InvalidRequest", awsChunked("b\r\nhello worldXX0\r\n" + crcTrailer, "11")));
        c.add(ok("aws-chunked: LF-only lines", 400, "InvalidRequest", awsChunked("b\nhello world\n0\n\n", "11")));
        c.add(ok("aws-chunked: truncated chunk", 400, "IncompleteBody", awsChunked("b\r\nhello", "11")));
        c.add(ok("aws-chunked: bytes after the final chunk", 400, "InvalidRequest", awsChunked(hello + "0\r\n" + crcTrailer
                + "garbage", "11")));
        c.add(ok("aws-chunked: size smaller than the data", 400, "InvalidRequest", awsChunked("5\r\nhello world\r\n0\r\n"
                + crcTrailer, "11")));
        c.add(ok("aws-chunked: no final chunk", 400, "IncompleteBody", awsChunked(hello, "11")));
        c.add(ok("aws-chunked: empty body", 400, "IncompleteBody", awsChunked("", "11")));
        c.add(ok("aws-chunked: spaces around the size", 400, "InvalidRequest", awsChunked(" b \r\nhello world\r\n0\r\n"
                + crcTrailer, "11")));
        c.add(ok("aws-chunked: trailer value not base64", 400, "InvalidRequest", awsChunked(hello
                + "0\r\nx-amz-checksum-crc32:!!!!\r\n\r\n", "11")));
        c.add(ok("aws-chunked: announced trailer missing", 400, "InvalidRequest", awsChunked(hello + "0\r\n\r\n", "11")));
        c.add(ok("aws-chunked: trailer line without colon", 400, "InvalidRequest", awsChunked(hello
                + "0\r\nx-amz-checksum-crc32\r\n\r\n", "11")));
        c.add(ok("aws-chunked: 5000-byte size line", 400, "InvalidRequest", awsChunked("b".repeat(5000) + "\r\n", "11")));
        c.add(ok("aws-chunked: decoded length over 5 GiB", 400, "EntityTooLarge", awsChunked(hello + "0\r\n" + crcTrailer,
                "99999999999999")));
        c.add(ok("aws-chunked: decoded length negative", 400, "InvalidArgument", awsChunked(hello + "0\r\n" + crcTrailer, "-1")));
        c.add(ok("aws-chunked: decoded length not a number", 400, "InvalidArgument", awsChunked(hello + "0\r\n" + crcTrailer, "abc")));
        c.add(ok("aws-chunked: decoded length shorter than the data", 400, "IncompleteBody", awsChunked(hello + "0\r\n"
                + crcTrailer, "5")));
        c.add(ok("aws-chunked: decoded length longer than the data", 400, "IncompleteBody", awsChunked(hello + "0\r\n"
                + crcTrailer, "20")));
        c.add(ok("aws-chunked: decoded length missing", 411, "MissingContentLength", awsChunked(hello + "0\r\n" + crcTrailer, null)));
        c.add(ok("aws-chunked: unknown trailer", 400, "InvalidRequest", awsChunked((hello + "0\r\n" + crcTrailer)
                .getBytes(StandardCharsets.US_ASCII), "11", "x-amz-foo")));
        c.add(ok("aws-chunked: bad size inside HTTP chunked framing", 400, "InvalidRequest", req(() -> Req.of("PUT", "/"
                + bucket + "/chunked").header("Content-Encoding", "aws-chunked").header("x-amz-decoded-content-length", "11")
                .header("x-amz-trailer", "x-amz-checksum-crc32").header("Transfer-Encoding", "chunked")
                .body(httpChunked("zz\r\nhello world\r\n0\r\n\r\n")).sign("STREAMING-UNSIGNED-PAYLOAD-TRAILER"))));
        c.add(ok("signed chunks: signature extension missing", 400, "InvalidRequest", signedChunked("5\r\nhello\r\n0\r\n\r\n")));
        c.add(ok("signed chunks: short signature", 400, "InvalidRequest", signedChunked(
                "5;chunk-signature=abc\r\nhello\r\n0;chunk-signature=abc\r\n\r\n")));
        c.add(ok("signed chunks: wrong signature", 403, "SignatureDoesNotMatch", signedChunked("5;chunk-signature="
                + "0".repeat(64) + "\r\nhello\r\n0;chunk-signature=" + "0".repeat(64) + "\r\n\r\n")));
        c.add(ok("x-amz-trailer with a signed payload", 400, "InvalidRequest", withHeader("PUT", "/{b}/t", "x-amz-trailer",
                "x-amz-checksum-crc32", "x")));

        // -- checksums and digests --
        c.add(ok("x-amz-checksum-crc32 not base64", 400, "InvalidRequest", withHeader("PUT", "/{b}/ck",
                "x-amz-checksum-crc32", "!!!", "x")));
        c.add(ok("x-amz-checksum-crc32 of the wrong length", 400, "InvalidRequest", withHeader("PUT", "/{b}/ck",
                "x-amz-checksum-crc32", "AAAAAAAA", "x")));
        c.add(ok("x-amz-checksum-sha256 wrong", 400, "BadDigest", withHeader("PUT", "/{b}/ck", "x-amz-checksum-sha256",
                Base64.getEncoder().encodeToString(new byte[32]), "x")));
        c.add(ok("two checksum headers", 400, "InvalidRequest", req(() -> Req.of("PUT", "/" + bucket + "/ck")
                .header("x-amz-checksum-crc32", "AAAAAA==").header("x-amz-checksum-sha1", "AAAAAAAAAAAAAAAAAAAAAAAAAAA=")
                .body("x").sign())));
        c.add(ok("sdk checksum algorithm without a checksum", 400, "InvalidRequest", withHeader("PUT", "/{b}/ck",
                "x-amz-sdk-checksum-algorithm", "CRC32", "x")));
        c.add(ok("sdk checksum algorithm unknown", 400, "InvalidRequest", withHeader("PUT", "/{b}/ck",
                "x-amz-sdk-checksum-algorithm", "MD4", "x")));
        c.add(ok("Content-MD5 not base64", 400, "InvalidDigest", withHeader("PUT", "/{b}/ck", "Content-MD5", "%%%", "x")));
        c.add(ok("Content-MD5 wrong", 400, "BadDigest", withHeader("PUT", "/{b}/ck", "Content-MD5", md5(new byte[1]), "x")));
        c.add(ok("unsupported checksum algorithm on CreateMultipartUpload", 400, "InvalidRequest", req(() -> Req.of("POST",
                "/" + bucket + "/m", "uploads").header("x-amz-checksum-algorithm", "MD5").sign())));

        // -- other headers --
        c.add(ok("Range garbage is ignored", 200, null, withHeader("GET", "/{b}/" + OBJ, "Range", "bytes=zz", "")));
        c.add(ok("Range reversed is ignored", 200, null, withHeader("GET", "/{b}/" + OBJ, "Range", "bytes=5-1", "")));
        c.add(ok("Range with two ranges is ignored", 200, null, withHeader("GET", "/{b}/" + OBJ, "Range", "bytes=0-1,3-4", "")));
        c.add(ok("Range unsatisfiable", 416, "InvalidRange", withHeader("GET", "/{b}/" + OBJ, "Range", "bytes=500-600", "")));
        c.add(ok("If-Modified-Since garbage is ignored", 200, null, withHeader("GET", "/{b}/" + OBJ, "If-Modified-Since",
                "garbage", "")));
        c.add(ok("If-Match garbage", 412, "PreconditionFailed", withHeader("GET", "/{b}/" + OBJ, "If-Match", "garbage", "")));
        c.add(ok("storage class unknown", 400, "InvalidStorageClass", withHeader("PUT", "/{b}/sc", "x-amz-storage-class",
                "BOGUS", "x")));
        c.add(ok("3 KB of user metadata", 400, "MetadataTooLarge", withHeader("PUT", "/{b}/meta", "x-amz-meta-big",
                "a".repeat(3000), "x")));
        c.add(ok("tagging garbage", 400, null, withHeader("PUT", "/{b}/tag", "x-amz-tagging", "%zz=&&=", "x")));
        c.add(ok("copy source without key", 400, "InvalidArgument", withHeader("PUT", "/{b}/cp", "x-amz-copy-source",
                "garbage", "")));
        c.add(ok("copy source with %zz", 400, null, withHeader("PUT", "/{b}/cp", "x-amz-copy-source", "/a/b%zz", "")));
        c.add(ok("copy source with %00", 400, null, req(() -> Req.of("PUT", "/" + bucket + "/cp")
                .header("x-amz-copy-source", "/" + bucket + "/a%00").sign())));
        c.add(ok("copy source bucket missing", 404, "NoSuchBucket", withHeader("PUT", "/{b}/cp", "x-amz-copy-source",
                "/no-such-bucket-zz/a", "")));
        c.add(ok("copy source versionId garbage", 400, "InvalidArgument", req(() -> Req.of("PUT", "/" + bucket + "/cp")
                .header("x-amz-copy-source", "/" + bucket + "/" + OBJ + "?versionId=zzz").sign())));
        c.add(ok("metadata directive unknown", 400, "InvalidArgument", req(() -> Req.of("PUT", "/" + bucket + "/cp")
                .header("x-amz-copy-source", "/" + bucket + "/" + OBJ).header("x-amz-metadata-directive", "MOVE").sign())));

        // -- XML bodies --
        c.add(ok("DeleteObjects: empty body", 400, "MalformedXML", deleteObjects("")));
        c.add(ok("DeleteObjects: not XML", 400, "MalformedXML", deleteObjects("this is not xml")));
        c.add(ok("DeleteObjects: unclosed", 400, "MalformedXML", deleteObjects("<Delete><Object><Key>a</Key></Object>")));
        c.add(ok("DeleteObjects: wrong root", 400, "MalformedXML", deleteObjects("<Foo><Object><Key>" + OBJ
                + "</Key></Object></Foo>")));
        c.add(ok("DeleteObjects: nested 100000 deep", 400, "MalformedXML", deleteObjects(nested("Delete", "a", 100_000))));
        c.add(ok("DeleteObjects: Object nested 2000 deep", 400, "MalformedXML", deleteObjects(nested("Delete", "Object", 2000))));
        c.add(ok("DeleteObjects: 3 MB", 400, "MalformedXML", deleteObjects(big("<Delete><Object><Key>", 3 * 1024 * 1024,
                "</Key></Object></Delete>"))));
        c.add(ok("DeleteObjects: external entity", 400, "MalformedXML", deleteObjects(XXE)));
        c.add(ok("DeleteObjects: entity expansion bomb", 400, "MalformedXML", deleteObjects(LAUGHS)));
        c.add(ok("DeleteObjects: 1001 keys", 400, "MalformedXML", deleteObjects("<Delete>"
                + "<Object><Key>k</Key></Object>".repeat(1001) + "</Delete>")));
        c.add(ok("DeleteObjects: empty key", 400, "MalformedXML", deleteObjects("<Delete><Object><Key></Key></Object></Delete>")));
        c.add(ok("DeleteObjects: Quiet not a boolean", 400, "MalformedXML", deleteObjects(
                "<Delete><Quiet>maybe</Quiet><Object><Key>a</Key></Object></Delete>")));
        c.add(ok("DeleteObjects: NUL character", 400, "MalformedXML", deleteObjects("<Delete><Object><Key>a\0b</Key></Object></Delete>")));
        c.add(ok("DeleteObjects: UTF-16 declaration on UTF-8 bytes", 400, "MalformedXML", deleteObjects(
                "<?xml version=\"1.0\" encoding=\"UTF-16\"?><Delete><Object><Key>a</Key></Object></Delete>")));
        c.add(ok("DeleteObjects: binary", 400, "MalformedXML", deleteObjects(new byte[] {0, 1, 2, (byte) 0xff, '<', 0})));
        c.add(ok("DeleteObjects: without Content-MD5", 400, "InvalidRequest", req(() -> Req.of("POST", "/" + bucket, "delete")
                .body("<Delete><Object><Key>a</Key></Object></Delete>").sign())));
        c.add(ok("DeleteObjects: Content-MD5 wrong", 400, "BadDigest", req(() -> Req.of("POST", "/" + bucket, "delete")
                .header("Content-MD5", md5(new byte[1])).body("<Delete><Object><Key>a</Key></Object></Delete>").sign())));
        c.add(ok("CompleteMultipartUpload: empty body", 400, "MalformedXML", complete("")));
        c.add(ok("CompleteMultipartUpload: not XML", 400, "MalformedXML", complete("zzz")));
        c.add(ok("CompleteMultipartUpload: wrong root", 400, "MalformedXML", complete(
                "<Foo><Part><PartNumber>1</PartNumber><ETag>\"x\"</ETag></Part></Foo>")));
        c.add(ok("CompleteMultipartUpload: PartNumber not a number", 400, "MalformedXML", complete(
                "<CompleteMultipartUpload><Part><PartNumber>abc</PartNumber><ETag>x</ETag></Part></CompleteMultipartUpload>")));
        c.add(ok("CompleteMultipartUpload: PartNumber beyond int", 400, "MalformedXML", complete(
                "<CompleteMultipartUpload><Part><PartNumber>99999999999</PartNumber><ETag>x</ETag></Part>"
                        + "</CompleteMultipartUpload>")));
        c.add(ok("CompleteMultipartUpload: PartNumber negative", 400, "InvalidArgument", complete(
                "<CompleteMultipartUpload><Part><PartNumber>-1</PartNumber><ETag>x</ETag></Part></CompleteMultipartUpload>")));
        c.add(ok("CompleteMultipartUpload: no ETag", 400, "MalformedXML", complete(
                "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>")));
        c.add(ok("CompleteMultipartUpload: no parts", 400, "MalformedXML", complete(
                "<CompleteMultipartUpload></CompleteMultipartUpload>")));
        c.add(ok("CompleteMultipartUpload: nested 50000 deep", 400, "MalformedXML", complete(
                nested("CompleteMultipartUpload", "Part", 50_000))));
        c.add(ok("CompleteMultipartUpload: 3 MB", 400, "MalformedXML", complete(big("<CompleteMultipartUpload><Part>"
                + "<PartNumber>1</PartNumber><ETag>", 3 * 1024 * 1024, "</ETag></Part></CompleteMultipartUpload>"))));
        c.add(ok("CreateBucket: truncated configuration", 400, "MalformedXML", req(() -> Req.of("PUT",
                "/" + Clients.bucketName("malformed-cb")).body("<CreateBucketConfiguration><LocationConstraint>").sign())));
        c.add(ok("CreateBucket: unknown location", 400, "InvalidLocationConstraint", req(() -> Req.of("PUT",
                "/" + Clients.bucketName("malformed-cb")).body("<CreateBucketConfiguration><LocationConstraint>mars-1"
                + "</LocationConstraint></CreateBucketConfiguration>").sign())));
        c.add(ok("CreateBucket: wrong root", 400, "MalformedXML", req(() -> Req.of("PUT",
                "/" + Clients.bucketName("malformed-cb")).body("<Foo><LocationConstraint>eu-west-1</LocationConstraint></Foo>")
                .sign())));

        // -- POST Object (browser form, anonymous) --
        String form = "--xx\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nk\r\n--xx\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"f\"\r\n\r\ndata\r\n--xx--\r\n";
        c.add(ok("POST form without Content-Type", 400, "MalformedPOSTRequest", raw("POST /{b} HTTP/1.1\r\nHost: {host}\r\n"
                + "Content-Length: 3\r\n\r\nabc")));
        c.add(ok("POST form urlencoded", 400, "MalformedPOSTRequest", raw("POST /{b} HTTP/1.1\r\nHost: {host}\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 3\r\n\r\na=b")));
        c.add(ok("POST form with a wrong boundary", 400, null, raw("POST /{b} HTTP/1.1\r\nHost: {host}\r\n"
                + "Content-Type: multipart/form-data; boundary=zzz\r\nContent-Length: 7\r\n\r\ngarbage")));
        c.add(ok("POST form without policy or signature", 403, "AccessDenied", raw("POST /{b} HTTP/1.1\r\nHost: {host}\r\n"
                + "Content-Type: multipart/form-data; boundary=xx\r\nContent-Length: " + form.length() + "\r\n\r\n" + form)));
        String garbagePolicy = "--xx\r\nContent-Disposition: form-data; name=\"policy\"\r\n\r\n!!notbase64!!\r\n"
                + "--xx\r\nContent-Disposition: form-data; name=\"x-amz-algorithm\"\r\n\r\nAWS4-HMAC-SHA256\r\n" + form;
        c.add(ok("POST form with a garbage policy", null, null, raw("POST /{b} HTTP/1.1\r\nHost: {host}\r\n"
                + "Content-Type: multipart/form-data; boundary=xx\r\nContent-Length: " + garbagePolicy.length() + "\r\n\r\n"
                + garbagePolicy)));
        c.add(ok("POST form truncated", 400, null, raw("POST /{b} HTTP/1.1\r\nHost: {host}\r\n"
                + "Content-Type: multipart/form-data; boundary=xx\r\nContent-Length: 60\r\n\r\n" + form.substring(0, 60))));

        List<Arguments> out = new ArrayList<>();
        for (Case x : c) {
            out.add(Arguments.of(x.name(), x));
        }
        return out.stream();
    }

    /** {@code inner} as one HTTP/1.1 chunk plus the last chunk (Transfer-Encoding: chunked framing). */
    static String httpChunked(String inner) {
        return Integer.toHexString(inner.length()) + "\r\n" + inner + "\r\n0\r\n\r\n";
    }

    // ---- issue 10 items 4 and 5: oversized access key ids and bucket names, SSE-C headers over plain HTTP

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("edgeCases")
    void oversizedIdsNamesAndSseCOverHttpGetAClearS3Error(String name, Case c) throws Exception {
        malformedRequestGetsAnS3ErrorPromptly(name, c);
    }

    static Stream<Arguments> edgeCases() {
        List<Case> c = new ArrayList<>();
        for (int n : new int[] {129, 1_000, 6_000}) {
            String akid = "AKIA" + "X".repeat(n - 4);
            c.add(ok("access key id of " + n + " characters, header", 403, "InvalidAccessKeyId", req(() -> Req.of("GET",
                    "/" + bucket + "/" + OBJ).sign(akid, "secret", SigV4.EMPTY_SHA256, Instant.now(), RawHttp.REGION))));
            c.add(ok("access key id of " + n + " characters, PUT", 403, "InvalidAccessKeyId", req(() -> Req.of("PUT",
                    "/" + bucket + "/edge-akid").body("x").sign(akid, "secret", ProxyProcess.sha256Hex(new byte[] {'x'}),
                    Instant.now(), RawHttp.REGION))));
        }
        String longAkid = "AKIA" + "Y".repeat(996);
        c.add(ok("access key id of 1000 characters, presigned", 403, "InvalidAccessKeyId", raw("GET /{b}/" + OBJ
                + "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + longAkid + "%2F" + SigV4.amzDate(Instant.now())
                .substring(0, 8) + "%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=" + amzNow() + "&X-Amz-Expires=300"
                + "&X-Amz-SignedHeaders=host&X-Amz-Signature=" + "0".repeat(64) + " HTTP/1.1\r\nHost: {host}\r\n\r\n")));
        for (int n : new int[] {64, 255, 2_000}) {
            String b = "b".repeat(n);
            c.add(ok("bucket name of " + n + " characters, GET object", 400, "InvalidBucketName", get("/" + b + "/k", null)));
            c.add(ok("bucket name of " + n + " characters, ListObjectsV2", 400, "InvalidBucketName", get("/" + b, "list-type=2")));
            c.add(ok("bucket name of " + n + " characters, PUT object", 400, "InvalidBucketName", req(() -> Req.of("PUT",
                    "/" + b + "/k").body("x").sign())));
            c.add(ok("bucket name of " + n + " characters, CreateBucket", 400, "InvalidBucketName", req(() -> Req.of("PUT",
                    "/" + b).sign())));
            c.add(ok("bucket name of " + n + " characters, HEAD", 400, null, req(() -> Req.of("HEAD", "/" + b).sign())));
            c.add(ok("bucket name of " + n + " characters, DELETE", 400, "InvalidBucketName", req(() -> Req.of("DELETE",
                    "/" + b).sign())));
        }
        String key = Base64.getEncoder().encodeToString(new byte[32]);
        String keyMd5 = md5(new byte[32]);
        String[][] sets = {
            {"x-amz-server-side-encryption-customer-algorithm", "x-amz-server-side-encryption-customer-key",
                "x-amz-server-side-encryption-customer-key-MD5"},
            {"x-amz-copy-source-server-side-encryption-customer-algorithm",
                "x-amz-copy-source-server-side-encryption-customer-key",
                "x-amz-copy-source-server-side-encryption-customer-key-MD5"}};
        String insecure = "InvalidRequest";
        for (String[] h : sets) {
            String which = h[0].startsWith("x-amz-copy-source") ? "copy-source SSE-C" : "SSE-C";
            c.add(ok(which + " over HTTP: GET", 400, insecure, req(() -> Req.of("GET", "/" + bucket + "/" + OBJ)
                    .header(h[0], "AES256").header(h[1], key).header(h[2], keyMd5).sign())));
            c.add(ok(which + " over HTTP: HEAD", 400, null, req(() -> Req.of("HEAD", "/" + bucket + "/" + OBJ)
                    .header(h[0], "AES256").header(h[1], key).header(h[2], keyMd5).sign())));
            c.add(ok(which + " over HTTP: PUT", 400, insecure, req(() -> Req.of("PUT", "/" + bucket + "/edge-ssec")
                    .header(h[0], "AES256").header(h[1], key).header(h[2], keyMd5).body("x").sign())));
            c.add(ok(which + " over HTTP: UploadPart", 400, insecure, req(() -> Req.of("PUT", "/" + bucket + "/" + MP,
                    "partNumber=1&uploadId=" + uploadId).header(h[0], "AES256").header(h[1], key).header(h[2], keyMd5)
                    .body("x").sign())));
            c.add(ok(which + " over HTTP: CopyObject", 400, insecure, req(() -> Req.of("PUT", "/" + bucket + "/edge-copy")
                    .header("x-amz-copy-source", "/" + bucket + "/" + OBJ).header(h[0], "AES256").header(h[1], key)
                    .header(h[2], keyMd5).sign())));
            c.add(ok(which + " over HTTP: only the MD5 header, DELETE", 400, insecure, req(() -> Req.of("DELETE",
                    "/" + bucket + "/edge-none").header(h[2], keyMd5).sign())));
            c.add(ok(which + " over HTTP: garbage key, ListObjectsV2", 400, insecure, req(() -> Req.of("GET",
                    "/" + bucket, "list-type=2").header(h[0], "AES256").header(h[1], "!!not base64!!").sign())));
            c.add(ok(which + " over HTTP: 8000-character key", 400, insecure, req(() -> Req.of("GET",
                    "/" + bucket + "/" + OBJ).header(h[0], "AES256").header(h[1], "A".repeat(8000)).sign())));
        }
        List<Arguments> out = new ArrayList<>();
        for (Case x : c) {
            out.add(Arguments.of(x.name(), x));
        }
        return out.stream();
    }
}
