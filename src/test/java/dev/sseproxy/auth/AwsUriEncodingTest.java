package dev.sseproxy.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AwsUriEncodingTest {

    @Test
    void reservedCharactersInPathAreEncodedExactlyOnce() {
        assertEquals("/test%24file.text", AwsUriEncoding.canonicalUri("/test$file.text"));
        assertEquals("/test%24file.text", AwsUriEncoding.canonicalUri("/test%24file.text"));
        assertEquals("/b/a%20b", AwsUriEncoding.canonicalUri("/b/a%20b"));
    }

    @Test
    void lowerCaseEscapesAreUpperCased() {
        assertEquals("/b/a%2Ab", AwsUriEncoding.canonicalUri("/b/a%2ab"));
    }

    @Test
    void encodedSlashInsideASegmentStaysEncoded() {
        assertEquals("/b/a%2Fb/c", AwsUriEncoding.canonicalUri("/b/a%2Fb/c"));
    }

    @Test
    void pathIsNotNormalised() {
        assertEquals("/b/../a//c/./", AwsUriEncoding.canonicalUri("/b/../a//c/./"));
    }

    @Test
    void plusInPathIsALiteralPlus() {
        assertEquals("/b/a%2Bb", AwsUriEncoding.canonicalUri("/b/a+b"));
    }

    @Test
    void nonAsciiIsEncodedAsUtf8() {
        assertEquals("/b/%D0%BA%D0%BB%D1%8E%D1%87", AwsUriEncoding.canonicalUri("/b/ключ"));
        assertEquals("/b/%D0%BA", AwsUriEncoding.canonicalUri("/b/%d0%ba"));
    }

    @Test
    void strayPercentIsEncodedAsPercent25() {
        assertEquals("/b/100%25", AwsUriEncoding.canonicalUri("/b/100%"));
        assertEquals("/b/%25zz", AwsUriEncoding.canonicalUri("/b/%zz"));
    }

    @Test
    void emptyPathIsRoot() {
        assertEquals("/", AwsUriEncoding.canonicalUri(""));
        assertEquals("/", AwsUriEncoding.canonicalUri("/"));
    }

    @Test
    void unreservedCharactersAreKeptAndSpaceIsPercent20() {
        assertEquals("A-z_0.9~", AwsUriEncoding.encode("A-z_0.9~", false));
        assertEquals("a%20b%21%27%28%29%2A", AwsUriEncoding.encode("a b!'()*", false));
        assertEquals("a%2Fb", AwsUriEncoding.encode("a/b", false));
        assertEquals("a/b", AwsUriEncoding.encode("a/b", true));
    }

    @Test
    void bareSubresourceGetsEmptyValue() {
        assertEquals("uploads=", AwsUriEncoding.canonicalQuery("uploads", null));
        assertEquals("lifecycle=", AwsUriEncoding.canonicalQuery("lifecycle=", null));
    }

    @Test
    void queryIsSortedByNameThenValueAndReEncoded() {
        assertEquals("max-keys=2&prefix=J", AwsUriEncoding.canonicalQuery("prefix=J&max-keys=2", null));
        assertEquals("a=%2B&a=x%20y&b=2&c=", AwsUriEncoding.canonicalQuery("b=2&a=x+y&a=%2B&c=", null));
        assertEquals("prefix=a%2Fb", AwsUriEncoding.canonicalQuery("prefix=a/b", null));
    }

    @Test
    void excludedParameterIsLeftOut() {
        assertEquals("X-Amz-Date=1&a=", AwsUriEncoding.canonicalQuery("a&X-Amz-Signature=zz&X-Amz-Date=1",
                "X-Amz-Signature"));
    }

    @Test
    void emptyOrMissingQueryIsEmpty() {
        assertEquals("", AwsUriEncoding.canonicalQuery(null, null));
        assertEquals("", AwsUriEncoding.canonicalQuery("", null));
        assertEquals("", AwsUriEncoding.canonicalQuery("&&", null));
    }

    @Test
    void queryParametersAreDecoded() {
        List<AwsUriEncoding.QueryParam> params = AwsUriEncoding.parseQuery("a%2Fb=c%20d&e");
        assertEquals(List.of(new AwsUriEncoding.QueryParam("a/b", "c d"), new AwsUriEncoding.QueryParam("e", "")),
                params);
        assertEquals(Optional.of("AKID/1"), AwsUriEncoding.queryParam("X-Amz-Credential=AKID%2F1", "X-Amz-Credential"));
    }
}
