package dev.sseproxy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sseproxy.catalog.PublicAccessBlocks;
import dev.sseproxy.authz.PublicAccessBlock;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestConditionsTest {
    @Test
    void requestTagsBecomeTagKeysAndValues() {
        Map<String, List<String>> m = new HashMap<>();
        RequestConditions.requestTags("project=blue&cost%20center=42", m);
        var ctx = RequestConditions.context(m);
        assertEquals(List.of("blue"), ctx.values("s3:RequestObjectTag/project"));
        assertEquals(List.of("42"), ctx.values("S3:REQUESTOBJECTTAG/cost center"));
        assertEquals(List.of("project", "cost center"), ctx.values("s3:RequestObjectTagKeys"));
        assertEquals(List.of(), ctx.values("s3:RequestObjectTag/other"));
    }

    @Test
    void sourceIpTrustsForwardedForOnlyFromTrustedProxies() {
        ClientConnection none = new ClientConnection(List.of(), false);
        assertEquals("203.0.113.9", none.sourceIp("203.0.113.9", "198.51.100.1"));
        ClientConnection trusted = new ClientConnection(List.of("10.0.0.0/8"), false);
        assertEquals("198.51.100.1", trusted.sourceIp("10.1.2.3", "198.51.100.1"));
        // the right-most untrusted hop counts; what the client itself claimed (left of it) does not
        assertEquals("198.51.100.1", trusted.sourceIp("10.1.2.3", "192.0.2.66, 198.51.100.1, 10.9.9.9"));
        assertEquals("203.0.113.9", trusted.sourceIp("203.0.113.9", "198.51.100.1"));
        assertEquals("10.1.2.3", trusted.sourceIp("10.1.2.3", "not-an-address"));
    }

    @Test
    void secureTransportIgnoresTheInsecureSseCSwitch() {
        ClientConnection dev = new ClientConnection(List.of(), true);
        assertEquals(true, dev.secure(false, "127.0.0.1", null));
        assertEquals(false, dev.secureTransport(false, "127.0.0.1", null));
        assertEquals(true, dev.secureTransport(true, "127.0.0.1", null));
    }

    @Test
    void publicAccessBlocksRoundTripAndParse() {
        PublicAccessBlock p = new PublicAccessBlock(true, false, true, false);
        assertEquals("TFTF", PublicAccessBlocks.encode(p));
        assertEquals(p, PublicAccessBlocks.decode("TFTF"));
        assertEquals(null, PublicAccessBlocks.decode(null));
        String xml = "<PublicAccessBlockConfiguration xmlns=\"http://awss3control.amazonaws.com/doc/2018-08-20/\">"
                + "<BlockPublicAcls>true</BlockPublicAcls><RestrictPublicBuckets>true</RestrictPublicBuckets>"
                + "</PublicAccessBlockConfiguration>";
        assertEquals(new PublicAccessBlock(true, false, false, true),
                PublicAccessBlockOperation.parse(xml.getBytes(StandardCharsets.UTF_8)));
    }
}
