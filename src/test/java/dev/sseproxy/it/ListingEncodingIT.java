package dev.sseproxy.it;

import static dev.sseproxy.it.NegativeIT.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.it.RawHttp.Req;
import dev.sseproxy.it.RawHttp.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Issue #10 item 12: listings as S3 writes them. {@code encoding-type=url} form-encodes the UTF-8
 * of keys, prefixes, delimiters and markers (space as {@code +}; {@code /} and {@code *} kept;
 * {@code +}, {@code %}, {@code ~}, controls and non-ASCII as {@code %XX}) in the elements the API
 * reference lists per operation and echoes {@code <EncodingType>url</EncodingType>}; no
 * {@code <Delimiter>} without a (non-empty) delimiter; an empty {@code continuation-token} is 400 on
 * ListObjectsV2 only.
 */
class ListingEncodingIT {
    static final List<String> KEYS = List.of("a b.txt", "a+b.txt", "100%.csv", "\ud55c\uae00/x.txt", "run books/x.txt",
            "run books/y.txt", "line\nbreak", "tilde~star*");

    static S3Client s3;
    static String bucket;

    @BeforeAll
    static void setUp() {
        s3 = Clients.sdk();
        bucket = Clients.newBucket(s3, "list-enc");
        for (String k : KEYS) {
            s3.putObject(b -> b.bucket(bucket).key(k), RequestBody.fromString(k));
        }
    }

    @AfterAll
    static void tearDown() {
        s3.close();
    }

    /** A query value as a client puts it on the URL (space as %20). */
    static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static Response list(String query) throws Exception {
        Response r = Req.of("GET", "/" + bucket, query).sign().send();
        assertEquals(200, r.status(), r::toString);
        return r;
    }

    static List<String> all(Response r, String element) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<" + element + ">(.*?)</" + element + ">", Pattern.DOTALL).matcher(r.text());
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    static List<String> commonPrefixes(Response r) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<CommonPrefixes><Prefix>(.*?)</Prefix></CommonPrefixes>").matcher(r.text());
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void urlEncodingOfKeysIsS3sFormEncoding() throws Exception {
        for (String query : List.of("list-type=2&encoding-type=url", "encoding-type=url")) {
            Response r = list(query);
            assertEquals("url", r.element("EncodingType"));
            assertEquals(new TreeSet<>(List.of("a+b.txt", "a%2Bb.txt", "100%25.csv", "%ED%95%9C%EA%B8%80/x.txt",
                    "run+books/x.txt", "run+books/y.txt", "line%0Abreak", "tilde%7Estar*")), new TreeSet<>(all(r, "Key")),
                    query);
            assertFalse(r.text().contains("<Delimiter"), r::toString);
        }
    }

    @Test
    void delimiterPrefixAndCommonPrefixesAreEncodedToo() throws Exception {
        Response r = list("list-type=2&encoding-type=url&delimiter=%2F");
        assertEquals("/", r.element("Delimiter"));
        assertEquals(List.of("run+books/", "%ED%95%9C%EA%B8%80/"), commonPrefixes(r));
        Response spaced = list("list-type=2&encoding-type=url&delimiter=%20&prefix=" + q("run books/")
                + "&start-after=" + q("run books/x"));
        assertEquals("+", spaced.element("Delimiter"));
        assertEquals("run+books/", spaced.element("Prefix"));
        assertEquals("run+books/x", spaced.element("StartAfter"));
        assertEquals(List.of("run+books/x.txt", "run+books/y.txt"), all(spaced, "Key"));

        Response v1 = list("encoding-type=url&delimiter=%2F&max-keys=1&marker=" + q("a b.txt"));
        assertEquals("a+b.txt", v1.element("Marker"));
        assertEquals("/", v1.element("Delimiter"));
        assertEquals(List.of("a%2Bb.txt"), all(v1, "Key"));
        assertEquals("a%2Bb.txt", v1.element("NextMarker"));
    }

    @Test
    void noDelimiterElementForAnEmptyDelimiter() throws Exception {
        for (String query : List.of("list-type=2&delimiter=", "delimiter=", "versions&delimiter=", "uploads&delimiter=",
                "list-type=2", "", "versions", "uploads")) {
            Response r = Req.of("GET", "/" + bucket, query.isEmpty() ? null : query).sign().send();
            assertEquals(200, r.status(), r::toString);
            assertFalse(r.text().contains("<Delimiter"), () -> query + ": " + r);
        }
        // an empty delimiter groups nothing
        assertEquals(KEYS.size(), all(list("list-type=2&delimiter="), "Key").size());
    }

    @Test
    void emptyContinuationTokenIsInvalidArgumentOnV2Only() throws Exception {
        Response v2 = Req.of("GET", "/" + bucket, "list-type=2&continuation-token=").sign().send();
        assertError(v2, 400, "InvalidArgument", "The continuation token provided is incorrect");
        assertEquals("continuation-token", v2.element("ArgumentName"));
        assertEquals(KEYS.size(), all(list("continuation-token="), "Key").size());
        assertEquals(KEYS.size(), all(list("versions&continuation-token="), "Key").size());
    }

    @Test
    void versionsAndUploadsEncodeTheirKeysAndMarkers() throws Exception {
        Response v = list("versions&encoding-type=url&key-marker=" + q("a b.txt"));
        assertEquals("url", v.element("EncodingType"));
        assertEquals("a+b.txt", v.element("KeyMarker"));
        assertTrue(all(v, "Key").contains("line%0Abreak"), v::toString);

        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key("up load+1")).uploadId();
        try {
            // (the backend lists the uploads of one key: the prefix is the whole key)
            Response u = list("uploads&encoding-type=url&prefix=" + q("up load+1"));
            assertEquals("url", u.element("EncodingType"));
            assertEquals("up+load%2B1", u.element("Prefix"));
            assertEquals(List.of("up+load%2B1"), all(u, "Key"));
            List<MultipartUpload> sdk = s3.listMultipartUploads(b -> b.bucket(bucket).encodingType(EncodingType.URL)
                    .prefix("up load+1")).uploads();
            assertEquals(List.of("up load+1"), sdk.stream().map(MultipartUpload::key).toList());
        } finally {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key("up load+1").uploadId(uploadId));
        }
    }

    @Test
    void sdkWithEncodingTypeUrlGetsEveryKeyBack() {
        TreeSet<String> expected = new TreeSet<>(KEYS);
        assertEquals(expected, new TreeSet<>(s3.listObjectsV2(b -> b.bucket(bucket).encodingType(EncodingType.URL))
                .contents().stream().map(S3Object::key).toList()));
        assertEquals(expected, new TreeSet<>(s3.listObjects(b -> b.bucket(bucket).encodingType(EncodingType.URL))
                .contents().stream().map(S3Object::key).toList()));
        assertEquals(expected, new TreeSet<>(s3.listObjectVersions(b -> b.bucket(bucket).encodingType(EncodingType.URL))
                .versions().stream().map(ObjectVersion::key).toList()));
        var grouped = s3.listObjectsV2(b -> b.bucket(bucket).encodingType(EncodingType.URL).delimiter("/"));
        assertEquals(List.of("run books/", "\ud55c\uae00/"), grouped.commonPrefixes().stream()
                .map(CommonPrefix::prefix).toList());
        assertEquals("/", grouped.delimiter());
        // paging with start-after through the SDK (it sends and decodes the encoded values)
        var after = s3.listObjectsV2(b -> b.bucket(bucket).encodingType(EncodingType.URL).startAfter("run books/x.txt")
                .prefix("run books/"));
        assertEquals(List.of("run books/y.txt"), after.contents().stream().map(S3Object::key).toList());
        assertEquals("run books/", after.prefix());
    }
}
