package dev.sseproxy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.api.xml.S3Xml;
import dev.sseproxy.config.S3Config.Era;
import dev.sseproxy.error.S3ErrorCode;
import dev.sseproxy.error.S3Exception;
import dev.sseproxy.sse.BucketEncryptionDefault;
import dev.sseproxy.sse.BucketEncryptionStore.BucketEncryption;
import dev.sseproxy.catalog.StoredConfig;
import dev.sseproxy.crypto.SseMode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PutBucketEncryption bodies as S3 reads them (spec §1.1, §1.4) and GetBucketEncryption answers (§1.2). */
class EncryptionConfigurationCodecTest {
    static final String NS = " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"";
    static final String UUID_KEY = "0f6c2e8a-1b7d-4c55-9d3e-2a4b6c8d0e1f";

    static StoredConfig parse(String xml) {
        return EncryptionConfigurationCodec.parse(xml.getBytes(StandardCharsets.UTF_8));
    }

    static String doc(String rules) {
        return "<ServerSideEncryptionConfiguration" + NS + ">" + rules + "</ServerSideEncryptionConfiguration>";
    }

    static String byDefault(String algorithm, String key) {
        return "<ApplyServerSideEncryptionByDefault><SSEAlgorithm>" + algorithm + "</SSEAlgorithm>"
                + (key == null ? "" : "<KMSMasterKeyID>" + key + "</KMSMasterKeyID>") + "</ApplyServerSideEncryptionByDefault>";
    }

    static S3Exception rejected(String xml) {
        return assertThrows(S3Exception.class, () -> parse(xml));
    }

    static void assertMalformed(String xml) {
        S3Exception e = rejected(xml);
        assertEquals(S3ErrorCode.MALFORMED_XML, e.code(), xml);
    }

    @Test
    void sseS3RuleIsRead() {
        assertEquals(new StoredConfig(SseMode.SSE_S3, null, false, Optional.empty()),
                parse(doc("<Rule>" + byDefault("AES256", null) + "<BucketKeyEnabled>false</BucketKeyEnabled></Rule>")));
    }

    @Test
    void kmsRuleKeepsTheKeyIdExactlyAsSentWithBucketKeyAndBlockList() {
        String arn = "arn:aws:kms:eu-west-1:111122223333:key/" + UUID_KEY;
        assertEquals(new StoredConfig(SseMode.SSE_KMS, arn, true, Optional.of(List.of("SSE-C"))), parse(doc("<Rule>"
                + byDefault("aws:kms", arn) + "<BlockedEncryptionTypes><EncryptionType>SSE-C</EncryptionType>"
                + "</BlockedEncryptionTypes><BucketKeyEnabled>true</BucketKeyEnabled></Rule>")));
        assertEquals(UUID_KEY, parse(doc("<Rule>" + byDefault("aws:kms", UUID_KEY) + "</Rule>")).kmsMasterKeyId());
        assertEquals("alias/payments", parse(doc("<Rule>" + byDefault("aws:kms:dsse", "alias/payments") + "</Rule>"))
                .kmsMasterKeyId());
    }

    @Test
    void kmsWithoutKeyHasNoKeyId() {
        StoredConfig c = parse(doc("<Rule>" + byDefault("aws:kms:dsse", null) + "</Rule>"));
        assertEquals(SseMode.DSSE_KMS, c.algorithm());
        assertNull(c.kmsMasterKeyId());
    }

    @Test
    void elementOrderAndNamespaceDoNotMatter() {
        StoredConfig expected = new StoredConfig(SseMode.SSE_KMS, "k", true, Optional.of(List.of("NONE")));
        assertEquals(expected, parse("<ServerSideEncryptionConfiguration><Rule><BucketKeyEnabled>true</BucketKeyEnabled>"
                + "<BlockedEncryptionTypes><EncryptionType>NONE</EncryptionType></BlockedEncryptionTypes>"
                + "<ApplyServerSideEncryptionByDefault><KMSMasterKeyID>k</KMSMasterKeyID><SSEAlgorithm>aws:kms"
                + "</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>"));
        assertEquals(expected, parse("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + doc("\n  <Rule>\n    "
                + byDefault("aws:kms", "k") + "\n    <BucketKeyEnabled>true</BucketKeyEnabled>\n"
                + "    <BlockedEncryptionTypes>\n      <EncryptionType>NONE</EncryptionType>\n    </BlockedEncryptionTypes>\n"
                + "  </Rule>\n")));
    }

    @Test
    void ruleWithOnlyABlockListIsAccepted() {
        assertEquals(new StoredConfig(null, null, false, Optional.of(List.of("NONE"))),
                parse(doc("<Rule><BlockedEncryptionTypes><EncryptionType>NONE</EncryptionType></BlockedEncryptionTypes></Rule>")));
        assertEquals(Optional.of(List.of("NONE", "SSE-C")), parse(doc("<Rule><BlockedEncryptionTypes>"
                + "<EncryptionType>NONE</EncryptionType><EncryptionType>SSE-C</EncryptionType>"
                + "<EncryptionType>NONE</EncryptionType></BlockedEncryptionTypes></Rule>")).blockedEncryptionTypes());
    }

    @Test
    void zeroRulesAreMalformed() {
        assertMalformed(doc(""));
        assertMalformed("<ServerSideEncryptionConfiguration" + NS + "/>");
    }

    @Test
    void twoRulesAreMalformed() {
        String rule = "<Rule>" + byDefault("AES256", null) + "</Rule>";
        assertMalformed(doc(rule + rule));
        assertMalformed(doc(rule + "<Rule>" + byDefault("aws:kms", null) + "</Rule>"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"aws:fsx", "aws:backup", "aes256", "AES128", "", "aws:kms ", "SSE-C"})
    void unknownOrNonBucketAlgorithmsAreMalformed(String algorithm) {
        assertMalformed(doc("<Rule>" + byDefault(algorithm, null) + "</Rule>"));
    }

    @Test
    void missingAlgorithmIsMalformed() {
        assertMalformed(doc("<Rule><ApplyServerSideEncryptionByDefault><KMSMasterKeyID>k</KMSMasterKeyID>"
                + "</ApplyServerSideEncryptionByDefault></Rule>"));
        assertMalformed(doc("<Rule><ApplyServerSideEncryptionByDefault/></Rule>"));
    }

    @Test
    void emptyRuleIsMalformed() {
        assertMalformed(doc("<Rule/>"));
        assertMalformed(doc("<Rule><BucketKeyEnabled>true</BucketKeyEnabled></Rule>"));
    }

    @Test
    void keyIdWithAes256IsInvalidArgumentNamingApplyServerSideEncryptionByDefault() {
        S3Exception e = rejected(doc("<Rule>" + byDefault("AES256", UUID_KEY) + "</Rule>"));
        assertEquals(S3ErrorCode.INVALID_ARGUMENT, e.code());
        assertEquals("a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse",
                e.getMessage());
        assertEquals(Map.of("ArgumentName", "ApplyServerSideEncryptionByDefault"), e.details());
    }

    @ParameterizedTest
    @ValueSource(strings = {"SSE-KMS", "sse-c", "", "AES256"})
    void unknownEncryptionTypesAreMalformed(String type) {
        assertMalformed(doc("<Rule><BlockedEncryptionTypes><EncryptionType>" + type
                + "</EncryptionType></BlockedEncryptionTypes></Rule>"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not xml", "<ServerSideEncryptionConfiguration><Rule>",
        "<Foo><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm>"
            + "</ApplyServerSideEncryptionByDefault></Rule></Foo>",
        "<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256"
            + "</SSEAlgorithm></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>maybe</BucketKeyEnabled></Rule>"
            + "</ServerSideEncryptionConfiguration>"})
    void notWellFormedOrWrongRootIsMalformed(String xml) {
        assertMalformed(xml);
    }

    // ---- GetBucketEncryption ----

    static String render(BucketEncryption e, Era era) {
        return new String(S3Xml.write(EncryptionConfigurationCodec.render("b", e, era)), StandardCharsets.UTF_8);
    }

    static BucketEncryption never(Era era) {
        return new BucketEncryption(BucketEncryptionDefault.sseS3(era == Era.Y2026_04 ? Set.of("SSE-C") : Set.of()),
                false, Optional.empty());
    }

    static final String PROLOGUE = "<?xml version='1.0' encoding='UTF-8'?><ServerSideEncryptionConfiguration" + NS + ">";

    @Test
    void neverConfiguredBucketIn2026ReportsSseS3WithSseCBlocked() {
        assertEquals(PROLOGUE + "<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm>"
                + "</ApplyServerSideEncryptionByDefault><BucketKeyEnabled>false</BucketKeyEnabled>"
                + "<BlockedEncryptionTypes><EncryptionType>SSE-C</EncryptionType></BlockedEncryptionTypes></Rule>"
                + "</ServerSideEncryptionConfiguration>", render(never(Era.Y2026_04), Era.Y2026_04));
    }

    @Test
    void neverConfiguredBucketIn2023ReportsSseS3WithoutBlockList() {
        assertEquals(PROLOGUE + "<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm>"
                + "</ApplyServerSideEncryptionByDefault><BucketKeyEnabled>false</BucketKeyEnabled></Rule>"
                + "</ServerSideEncryptionConfiguration>", render(never(Era.Y2023), Era.Y2023));
    }

    @Test
    void neverConfiguredBucketBefore2023IsNotFound() {
        S3Exception e = assertThrows(S3Exception.class,
                () -> EncryptionConfigurationCodec.render("b", never(Era.PRE_2023), Era.PRE_2023));
        assertEquals(S3ErrorCode.SERVER_SIDE_ENCRYPTION_CONFIGURATION_NOT_FOUND, e.code());
        assertEquals(404, e.code().status());
        assertEquals("ServerSideEncryptionConfigurationNotFoundError", e.code().code());
        assertEquals("The server side encryption configuration was not found", e.getMessage());
    }

    @Test
    void configuredBucketEchoesTheKeyAsSentAndNoneWhenSseCIsAllowed() {
        StoredConfig c = new StoredConfig(SseMode.SSE_KMS, UUID_KEY, true, Optional.of(List.of()));
        BucketEncryption e = new BucketEncryption(new BucketEncryptionDefault(SseMode.SSE_KMS, UUID_KEY, true, Set.of()),
                true, Optional.of(c));
        String xml = render(e, Era.Y2026_04);
        assertTrue(xml.contains("<SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>" + UUID_KEY + "</KMSMasterKeyID>"), xml);
        assertTrue(xml.contains("<BucketKeyEnabled>true</BucketKeyEnabled>"), xml);
        assertTrue(xml.contains("<BlockedEncryptionTypes><EncryptionType>NONE</EncryptionType></BlockedEncryptionTypes>"), xml);
        assertFalse(render(e, Era.Y2023).contains("BlockedEncryptionTypes"));
    }

    @Test
    void kmsWithoutKeyRendersNoKeyElement() {
        StoredConfig c = new StoredConfig(SseMode.SSE_KMS, null, false, Optional.empty());
        BucketEncryption e = new BucketEncryption(new BucketEncryptionDefault(SseMode.SSE_KMS, null, false,
                Set.of("SSE-C")), true, Optional.of(c));
        String xml = render(e, Era.Y2026_04);
        assertFalse(xml.contains("KMSMasterKeyID"), xml);
        assertTrue(xml.contains("<BucketKeyEnabled>false</BucketKeyEnabled>"), xml);
    }

    @Test
    void parsedConfigurationsRoundTrip() {
        String put = doc("<Rule>" + byDefault("aws:kms", "alias/x") + "<BucketKeyEnabled>true</BucketKeyEnabled>"
                + "<BlockedEncryptionTypes><EncryptionType>SSE-C</EncryptionType></BlockedEncryptionTypes></Rule>");
        StoredConfig c = parse(put);
        BucketEncryption e = new BucketEncryption(new BucketEncryptionDefault(c.algorithm(), c.kmsMasterKeyId(),
                c.bucketKeyEnabled(), Set.copyOf(c.blockedEncryptionTypes().orElseThrow())), true, Optional.of(c));
        assertEquals(c, parse(render(e, Era.Y2026_04)));
    }
}
