package dev.sseproxy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.api.xml.S3Xml;
import dev.sseproxy.error.S3Exception;
import dev.sseproxy.inventory.InventoryConfiguration;
import dev.sseproxy.inventory.InventoryField;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The InventoryConfiguration document: S3's schema, its errors, and the document written back. */
class InventoryConfigurationCodecTest {
    static final String FULL = """
            <InventoryConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
               <Destination><S3BucketDestination>
                  <AccountId>000000000001</AccountId>
                  <Bucket>arn:aws:s3:::dest-bucket</Bucket>
                  <Format>CSV</Format>
                  <Prefix>reports</Prefix>
                  <Encryption><SSE-KMS><KeyId>arn:aws:kms:us-east-1:000000000001:key/k1</KeyId></SSE-KMS></Encryption>
               </S3BucketDestination></Destination>
               <IsEnabled>true</IsEnabled>
               <Filter><Prefix>logs/</Prefix></Filter>
               <Id>report-1</Id>
               <IncludedObjectVersions>Current</IncludedObjectVersions>
               <OptionalFields><Field>EncryptionStatus</Field><Field>Size</Field><Field>KMSKeyArn</Field></OptionalFields>
               <Schedule><Frequency>Weekly</Frequency></Schedule>
            </InventoryConfiguration>""";

    static String minimal(String id, String bucket, String format, String extra) {
        return "<InventoryConfiguration><Id>" + id + "</Id><IsEnabled>false</IsEnabled><Destination><S3BucketDestination>"
                + "<Bucket>" + bucket + "</Bucket><Format>" + format + "</Format>" + extra + "</S3BucketDestination>"
                + "</Destination><IncludedObjectVersions>All</IncludedObjectVersions><Schedule><Frequency>Daily</Frequency>"
                + "</Schedule></InventoryConfiguration>";
    }

    static InventoryConfiguration parse(String xml, String id) {
        return InventoryConfigurationCodec.parse(xml.getBytes(StandardCharsets.UTF_8), id);
    }

    static S3Exception error(String xml, String id) {
        return assertThrows(S3Exception.class, () -> parse(xml, id));
    }

    @Test
    void aFullConfigurationIsReadAndWrittenBackInAwsOrder() {
        InventoryConfiguration c = parse(FULL, "report-1");
        assertEquals("report-1", c.id());
        assertTrue(c.enabled());
        assertEquals("dest-bucket", c.destinationBucket());
        assertEquals(Optional.of("000000000001"), c.destinationAccount());
        assertEquals("reports", c.destinationPrefix());
        assertEquals(Optional.of(InventoryConfiguration.Encryption.SSE_KMS), c.encryption());
        assertEquals(Optional.of("arn:aws:kms:us-east-1:000000000001:key/k1"), c.kmsKeyId());
        assertEquals("logs/", c.filterPrefix());
        assertEquals(List.of(InventoryField.ENCRYPTION_STATUS, InventoryField.SIZE, InventoryField.KMS_KEY_ARN), c.fields());
        assertTrue(c.weekly());
        String written = new String(S3Xml.write(InventoryConfigurationCodec.document(c)), StandardCharsets.UTF_8);
        assertEquals("<?xml version='1.0' encoding='UTF-8'?><InventoryConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "<Destination><S3BucketDestination><AccountId>000000000001</AccountId><Bucket>arn:aws:s3:::dest-bucket</Bucket>"
                + "<Encryption><SSE-KMS><KeyId>arn:aws:kms:us-east-1:000000000001:key/k1</KeyId></SSE-KMS></Encryption>"
                + "<Format>CSV</Format><Prefix>reports</Prefix></S3BucketDestination></Destination><IsEnabled>true</IsEnabled>"
                + "<Filter><Prefix>logs/</Prefix></Filter><Id>report-1</Id><IncludedObjectVersions>Current</IncludedObjectVersions>"
                + "<OptionalFields><Field>EncryptionStatus</Field><Field>Size</Field><Field>KMSKeyArn</Field></OptionalFields>"
                + "<Schedule><Frequency>Weekly</Frequency></Schedule></InventoryConfiguration>", written);
        assertEquals(c, parse(written, "report-1"));
    }

    @Test
    void sseS3IsAnEmptyElementBothWays() {
        InventoryConfiguration c = parse(minimal("a", "arn:aws:s3:::dest", "CSV", "<Encryption><SSE-S3/></Encryption>"), "a");
        assertEquals(Optional.of(InventoryConfiguration.Encryption.SSE_S3), c.encryption());
        String written = new String(S3Xml.write(InventoryConfigurationCodec.document(c)), StandardCharsets.UTF_8);
        assertTrue(written.contains("<Encryption><SSE-S3></SSE-S3></Encryption>") || written.contains("<Encryption><SSE-S3/>"),
                written);
        assertEquals(c, parse(written, "a"));
        assertTrue(parse(minimal("a", "arn:aws:s3:::dest", "CSV", ""), "a").allVersions());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "<InventoryConfiguration><Id>a</Id></InventoryConfiguration>",
        "<Other><Id>a</Id></Other>",
        "not xml",
    })
    void schemaViolationsAreMalformedXml(String xml) {
        assertEquals("MalformedXML", error(xml, "a").code().code());
    }

    @Test
    void unknownValuesAndBadIdsAreMalformedXml() {
        String ok = minimal("a", "arn:aws:s3:::dest", "CSV", "");
        for (String bad : List.of(ok.replace("<Frequency>Daily", "<Frequency>Monthly"),
                ok.replace(">All<", ">Some<"), ok.replace(">false<", ">yes<"),
                minimal("a", "arn:aws:s3:::dest", "JSON", ""),
                ok.replace("</Destination>", "</Destination><OptionalFields><Field>Colour</Field></OptionalFields>"),
                minimal("a", "arn:aws:s3:::dest", "CSV", "<Encryption></Encryption>"),
                minimal("a", "arn:aws:s3:::dest", "CSV", "<Encryption><SSE-S3/><SSE-KMS><KeyId>k</KeyId></SSE-KMS></Encryption>"),
                minimal("a", "arn:aws:s3:::dest", "CSV", "<Encryption><SSE-KMS></SSE-KMS></Encryption>"),
                minimal("a", "arn:aws:s3:::dest", "CSV", "<AccountId>12</AccountId>"),
                ok.replace("</Destination>", "</Destination><Filter></Filter>"))) {
            assertEquals("MalformedXML", error(bad, "a").code().code(), bad);
        }
        String longId = "x".repeat(65);
        assertEquals("MalformedXML", error(minimal(longId, "arn:aws:s3:::dest", "CSV", ""), longId).code().code());
        assertEquals("MalformedXML", error(minimal("a/b", "arn:aws:s3:::dest", "CSV", ""), "a/b").code().code());
        assertEquals("x".repeat(64), parse(minimal("x".repeat(64), "arn:aws:s3:::dest", "CSV", ""), null).id());
    }

    @Test
    void destinationsMustBeBucketArns() {
        S3Exception plain = error(minimal("a", "dest", "CSV", ""), "a");
        assertEquals("InvalidS3DestinationBucket", plain.code().code());
        assertEquals(400, plain.code().status());
        assertEquals("Invalid bucket ARN.", plain.getMessage());
        assertEquals("Bucket ARN should not specify a namespace.",
                error(minimal("a", "arn:aws:s3::000000000001:dest", "CSV", ""), "a").getMessage());
        assertEquals("InvalidS3DestinationBucket", error(minimal("a", "arn:aws:s3:::Bad_Name", "CSV", ""), "a").code().code());
    }

    @Test
    void anIdOtherThanTheRequestsIsInvalidArgument() {
        S3Exception e = error(minimal("a", "arn:aws:s3:::dest", "CSV", ""), "b");
        assertEquals("InvalidArgument", e.code().code());
        assertEquals(InventoryConfigurationCodec.ID_MISMATCH, e.getMessage());
    }

    @Test
    void orcAndParquetAreNotImplemented() {
        for (String f : List.of("ORC", "Parquet")) {
            S3Exception e = error(minimal("a", "arn:aws:s3:::dest", f, ""), "a");
            assertEquals("NotImplemented", e.code().code());
            assertEquals(501, e.code().status());
        }
    }

    @Test
    void continuationTokensRoundTripAndForeignOnesAreRefused() {
        assertEquals("cfg-9", InventoryConfigurationOperation.decode(InventoryConfigurationOperation.encode("cfg-9")));
        assertEquals("InvalidArgument", assertThrows(S3Exception.class,
                () -> InventoryConfigurationOperation.decode("!!!")).code().code());
        assertEquals("InvalidArgument", assertThrows(S3Exception.class,
                () -> InventoryConfigurationOperation.decode(InventoryConfigurationOperation.encode("a/b"))).code().code());
    }
}
