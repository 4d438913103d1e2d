package dev.sseproxy.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** IAM's query-protocol XML: responses, errors, escaping, percent-encoded policy documents. */
class QueryXmlTest {
    @Test
    void aResponseWrapsItsResultAndRequestId() {
        String xml = QueryXml.response(QueryXml.IAM_NAMESPACE, "GetUser",
                new QueryXml().open("User").element("UserName", "a<b&c").element("CreateDate",
                        Instant.parse("2026-12-06T12:00:00.123Z")).close("User").toString(), "r-1");
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<GetUserResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><GetUserResult><User>"
                + "<UserName>a&lt;b&amp;c</UserName><CreateDate>2026-12-06T12:00:00Z</CreateDate></User></GetUserResult>"
                + "<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></GetUserResponse>", xml);
    }

    @Test
    void anActionWithoutResultHasOnlyMetadata() {
        String xml = QueryXml.response(QueryXml.IAM_NAMESPACE, "DeleteUser", null, "r-2");
        assertTrue(xml.endsWith("<DeleteUserResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
                + "<ResponseMetadata><RequestId>r-2</RequestId></ResponseMetadata></DeleteUserResponse>"));
    }

    @Test
    void anErrorIsIamsErrorResponse() {
        String xml = QueryXml.error(IamException.noSuchUser("bob"), "r-3");
        assertTrue(xml.endsWith("<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error>"
                + "<Type>Sender</Type><Code>NoSuchEntity</Code><Message>The user with name bob cannot be found.</Message>"
                + "</Error><RequestId>r-3</RequestId></ErrorResponse>"), xml);
    }

    @Test
    void policyDocumentsArePercentEncodedWithSpacesAsPercent20() {
        String doc = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Resource\": \"arn:aws:s3:::b/*\", \"Sid\": \"é+~\"}]}";
        String enc = QueryXml.urlEncoded(doc);
        assertTrue(enc.startsWith("%7B%22Version%22%3A%20%222012-10-17%22"), enc);
        assertTrue(enc.contains("%C3%A9%2B~"), enc);
        assertEquals(doc, URLDecoder.decode(enc, StandardCharsets.UTF_8));
    }
}
