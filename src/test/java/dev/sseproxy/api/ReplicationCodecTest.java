package dev.sseproxy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.api.xml.S3Xml;
import dev.sseproxy.catalog.BucketReplication;
import dev.sseproxy.catalog.BucketReplication.Rule;
import dev.sseproxy.error.S3Exception;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PutBucketReplication's document read and checked as S3 does (AWS's documented examples), GetBucketReplication's written back. */
class ReplicationCodecTest {
    static final String NS = "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"";
    static final String ROLE = "<Role>arn:aws:iam::35667example:role/CrossRegionReplicationRoleForS3</Role>";

    /** PutBucketReplication's first example in the API reference: a V2 rule filtering by prefix and two tags. */
    static final String AWS_AND = "<ReplicationConfiguration " + NS + ">" + ROLE + """
              <Rule>
                <ID>rule1</ID>
                <Status>Enabled</Status>
                <Priority>1</Priority>
                <DeleteMarkerReplication>
                   <Status>Disabled</Status>
                </DeleteMarkerReplication>
                <Filter>
                   <And>
                       <Prefix>TaxDocs</Prefix>
                       <Tag>
                         <Key>TagKey1</Key>
                         <Value>TagValue1</Value>
                       </Tag>
                       <Tag>
                         <Key>TagKey2</Key>
                         <Value>TagValue2</Value>
                       </Tag>
                   </And>
                </Filter>
                <Destination>
                  <Bucket>arn:aws:s3:::exampletargetbucket</Bucket>
                </Destination>
              </Rule>
            </ReplicationConfiguration>""";

    /** The API reference's SSE-KMS example (no namespace, as the docs print it). */
    static final String AWS_KMS = "<ReplicationConfiguration>" + ROLE + """
              <Rule>
                <ID>rule1</ID>
                <Status>Enabled</Status>
                <Priority>1</Priority>
                <DeleteMarkerReplication>
                   <Status>Disabled</Status>
                </DeleteMarkerReplication>
                <Filter>
                   <Prefix>TaxDocs</Prefix>
                </Filter>
                <Destination>
                  <Bucket>arn:aws:s3:::exampletargetbucket</Bucket>
                  <EncryptionConfiguration>
                     <ReplicaKmsKeyID>arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab</ReplicaKmsKeyID>
                  </EncryptionConfiguration>
                </Destination>
                <SourceSelectionCriteria>
                  <SseKmsEncryptedObjects>
                     <Status>Enabled</Status>
                  </SseKmsEncryptedObjects>
                </SourceSelectionCriteria>
              </Rule>
            </ReplicationConfiguration>""";

    /** The user guide's V1 ("backward compatibility") example. */
    static final String AWS_V1 = "<ReplicationConfiguration " + NS + ">" + """
               <Role>arn:aws:iam::AcctID:role/role-name</Role>
               <Rule>
                  <ID>Rule-1</ID>
                  <Status>Enabled</Status>
                  <Prefix>key-prefix</Prefix>
                  <Destination>
                     <Bucket>arn:aws:s3:::bucket-name</Bucket>
                     <StorageClass>STANDARD_IA</StorageClass>
                  </Destination>
               </Rule>
            </ReplicationConfiguration>""";

    /** The user guide's S3 Replication Time Control example. */
    static final String AWS_RTC = "<ReplicationConfiguration " + NS + ">" + ROLE + """
               <Rule>
                  <Status>Enabled</Status>
                  <Filter>
                     <Prefix>Tax</Prefix>
                  </Filter>
                  <DeleteMarkerReplication>
                     <Status>Disabled</Status>
                  </DeleteMarkerReplication>
                  <Destination>
                     <Bucket>arn:aws:s3:::DOC-EXAMPLE-BUCKET</Bucket>
                     <Metrics>
                        <Status>Enabled</Status>
                        <EventThreshold>
                           <Minutes>15</Minutes>
                        </EventThreshold>
                     </Metrics>
                     <ReplicationTime>
                        <Status>Enabled</Status>
                        <Time>
                           <Minutes>15</Minutes>
                        </Time>
                     </ReplicationTime>
                  </Destination>
                  <Priority>1</Priority>
               </Rule>
            </ReplicationConfiguration>""";

    static BucketReplication parse(String xml) {
        return ReplicationCodec.parse(xml.getBytes(StandardCharsets.UTF_8), "source");
    }

    static String write(BucketReplication c) {
        return new String(S3Xml.write(ReplicationDocuments.document(c)), StandardCharsets.UTF_8);
    }

    static S3Exception refused(String xml) {
        return assertThrows(S3Exception.class, () -> parse(xml));
    }

    static void assertRefused(String code, String message, String xml) {
        S3Exception e = refused(xml);
        assertEquals(code, e.code().code(), e::getMessage);
        if (message != null) {
            assertEquals(message, e.getMessage());
        }
    }

    /** A V2 document with one rule whose inner elements are {@code rule}. */
    static String v2(String rule) {
        return "<ReplicationConfiguration " + NS + ">" + ROLE + "<Rule>" + rule + "</Rule></ReplicationConfiguration>";
    }

    static String rule(String id, int priority, String filter, String destination) {
        return "<ID>" + id + "</ID><Priority>" + priority + "</Priority><Filter>" + filter + "</Filter><Status>Enabled</Status>"
                + "<DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication><Destination><Bucket>arn:aws:s3:::"
                + destination + "</Bucket></Destination>";
    }

    @Test
    void theAndExampleRoundTrips() {
        BucketReplication c = parse(AWS_AND);
        assertEquals("arn:aws:iam::35667example:role/CrossRegionReplicationRoleForS3", c.role());
        Rule r = c.rules().get(0);
        assertEquals("rule1", r.id());
        assertEquals(1, r.priority());
        assertTrue(r.enabled() && !r.v1() && !r.deleteMarkerReplication());
        assertEquals("TaxDocs", r.filter().prefix());
        assertEquals(Map.of("TagKey1", "TagValue1", "TagKey2", "TagValue2"), r.filter().tags());
        assertEquals("exampletargetbucket", r.destination().bucket());
        assertEquals("arn:aws:s3:::exampletargetbucket", r.destination().bucketArn());
        String out = write(c);
        assertTrue(out.contains("<ReplicationConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Role>"), out);
        assertTrue(out.contains("<Rule><ID>rule1</ID><Priority>1</Priority><Filter><And><Prefix>TaxDocs</Prefix><Tag><Key>TagKey1"
                + "</Key><Value>TagValue1</Value></Tag><Tag><Key>TagKey2</Key><Value>TagValue2</Value></Tag></And></Filter>"
                + "<Status>Enabled</Status><Destination><Bucket>arn:aws:s3:::exampletargetbucket</Bucket></Destination>"
                + "<DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication></Rule>"), out);
        assertEquals(c, parse(out));
    }

    @Test
    void theKmsExampleKeepsTheOptInAndTheKey() {
        BucketReplication c = parse(AWS_KMS);
        Rule r = c.rules().get(0);
        assertTrue(r.sseKmsEncryptedObjects());
        assertEquals("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", r.destination().replicaKmsKeyId());
        String out = write(c);
        assertTrue(out.contains("<SourceSelectionCriteria><SseKmsEncryptedObjects><Status>Enabled</Status></SseKmsEncryptedObjects>"
                + "</SourceSelectionCriteria>"), out);
        assertTrue(out.contains("<EncryptionConfiguration><ReplicaKmsKeyID>arn:aws:kms:"), out);
        assertEquals(c, parse(out));
    }

    @Test
    void aV1RuleIsEchoedAsV1() {
        BucketReplication c = parse(AWS_V1);
        Rule r = c.rules().get(0);
        assertTrue(r.v1());
        assertNull(r.priority());
        assertTrue(r.deleteMarkerReplication(), "V1 rules replicate delete markers");
        assertEquals("key-prefix", r.filter().prefix());
        assertEquals("STANDARD_IA", r.destination().storageClass());
        String out = write(c);
        assertTrue(out.contains("<Rule><ID>Rule-1</ID><Prefix>key-prefix</Prefix><Status>Enabled</Status><Destination>"
                + "<Bucket>arn:aws:s3:::bucket-name</Bucket><StorageClass>STANDARD_IA</StorageClass></Destination></Rule>"), out);
        assertFalse(out.contains("<Filter>") || out.contains("Priority") || out.contains("DeleteMarkerReplication"), out);
        assertEquals(c, parse(out));
    }

    @Test
    void anEmptyV1PrefixSelectsEveryKey() {
        BucketReplication c = parse("<ReplicationConfiguration>" + ROLE + "<Rule><Status>Enabled</Status><Prefix></Prefix>"
                + "<Destination><Bucket>arn:aws:s3:::dest</Bucket></Destination></Rule></ReplicationConfiguration>");
        assertEquals("", c.rules().get(0).filter().prefix());
        assertTrue(write(c).contains("<Prefix></Prefix>") || write(c).contains("<Prefix/>"), write(c));
    }

    @Test
    void theRtcExampleKeepsTimeAndMetrics() {
        BucketReplication c = parse(AWS_RTC);
        Rule r = c.rules().get(0);
        assertEquals(15, r.destination().replicationTimeMinutes());
        assertEquals(15, r.destination().metricsMinutes());
        String out = write(c);
        assertTrue(out.contains("<ReplicationTime><Status>Enabled</Status><Time><Minutes>15</Minutes></Time></ReplicationTime>"
                + "<Metrics><Status>Enabled</Status><EventThreshold><Minutes>15</Minutes></EventThreshold></Metrics>"), out);
        assertEquals(c, parse(out));
    }

    @Test
    void aMissingIdIsGenerated() {
        BucketReplication c = parse(AWS_RTC);
        String id = c.rules().get(0).id();
        assertTrue(id.length() > 20 && id.length() <= 255, id);
        assertFalse(id.equals(parse(AWS_RTC).rules().get(0).id()));
    }

    @Test
    void anEmptyFilterSelectsEveryKey() {
        for (String filter : new String[] {"<Filter/>", "<Filter></Filter>", "<Filter><Prefix></Prefix></Filter>"}) {
            BucketReplication c = parse(v2("<Priority>0</Priority>" + filter + "<Status>Enabled</Status>"
                    + "<DeleteMarkerReplication><Status>Enabled</Status></DeleteMarkerReplication>"
                    + "<Destination><Bucket>arn:aws:s3:::dest</Bucket></Destination>"));
            Rule r = c.rules().get(0);
            assertEquals("", r.filter().prefix(), filter);
            assertTrue(r.filter().tags().isEmpty() && r.deleteMarkerReplication(), filter);
            assertEquals(c, parse(write(c)));
        }
    }

    @Test
    void everyOptionalElementRoundTrips() {
        BucketReplication c = parse(v2("<ID>all</ID><Priority>7</Priority><Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter>"
                + "<Status>Disabled</Status><SourceSelectionCriteria><SseKmsEncryptedObjects><Status>Enabled</Status>"
                + "</SseKmsEncryptedObjects><ReplicaModifications><Status>Enabled</Status></ReplicaModifications>"
                + "</SourceSelectionCriteria><ExistingObjectReplication><Status>Enabled</Status></ExistingObjectReplication>"
                + "<Destination><Bucket>arn:aws:s3:::dest</Bucket><Account>000000000002</Account><StorageClass>STANDARD"
                + "</StorageClass><AccessControlTranslation><Owner>Destination</Owner></AccessControlTranslation>"
                + "<EncryptionConfiguration><ReplicaKmsKeyID>key-1</ReplicaKmsKeyID></EncryptionConfiguration>"
                + "<Metrics><Status>Enabled</Status></Metrics></Destination>"
                + "<DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>"));
        Rule r = c.rules().get(0);
        assertFalse(r.enabled());
        assertEquals(Map.of("k", "v"), r.filter().tags());
        assertTrue(r.sseKmsEncryptedObjects() && r.replicaModifications() && r.existingObjectReplication());
        assertEquals("000000000002", r.destination().account());
        assertTrue(r.destination().ownerOverride());
        assertNull(r.destination().replicationTimeMinutes());
        assertEquals(15, r.destination().metricsMinutes());
        String out = write(c);
        assertTrue(out.contains("<Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter>"), out);
        assertTrue(out.contains("<Metrics><Status>Enabled</Status></Metrics>"), out);
        assertTrue(out.contains("<ExistingObjectReplication><Status>Enabled</Status></ExistingObjectReplication>"), out);
        assertEquals(c, parse(out));
    }

    @Test
    void malformedDocumentsAreMalformedXml() {
        String dest = "<Destination><Bucket>arn:aws:s3:::dest</Bucket></Destination>";
        String dm = "<DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>";
        for (String xml : new String[] {
                "", "not xml", "<Other>" + ROLE + "</Other>",
                "<ReplicationConfiguration>" + ROLE + "</ReplicationConfiguration>",
                "<ReplicationConfiguration><Rule><Status>Enabled</Status><Prefix/>" + dest + "</Rule></ReplicationConfiguration>",
                v2("<Priority>1</Priority><Filter/>" + dm + dest),
                v2("<Priority>1</Priority><Filter/><Status>On</Status>" + dm + dest),
                v2("<Priority>1</Priority><Filter/><Status>Enabled</Status>" + dm),
                v2("<Priority>1</Priority><Status>Enabled</Status>" + dm + dest),
                v2("<Priority>1</Priority><Prefix>a</Prefix><Filter/><Status>Enabled</Status>" + dm + dest),
                v2("<Priority>x</Priority><Filter/><Status>Enabled</Status>" + dm + dest),
                v2("<Priority>1</Priority><Filter><Prefix>a</Prefix><Tag><Key>k</Key><Value>v</Value></Tag></Filter>"
                        + "<Status>Enabled</Status>" + dm + dest),
                v2("<Priority>1</Priority><Filter><And><Prefix>a</Prefix></And></Filter><Status>Enabled</Status>" + dm + dest),
                v2("<Priority>1</Priority><Filter><Tag><Value>v</Value></Tag></Filter><Status>Enabled</Status>" + dm + dest),
                v2("<Priority>1</Priority><Filter/><Status>Enabled</Status><DeleteMarkerReplication><Status>yes</Status>"
                        + "</DeleteMarkerReplication>" + dest),
                v2("<Priority>1</Priority><Filter/><Status>Enabled</Status>" + dm
                        + "<Destination><Bucket>arn:aws:s3:::dest</Bucket><StorageClass>FAST</StorageClass></Destination>"),
                v2("<Priority>1</Priority><Filter/><Status>Enabled</Status>" + dm + "<Destination><Bucket>arn:aws:s3:::dest</Bucket>"
                        + "<Account>1</Account><AccessControlTranslation><Owner>Source</Owner></AccessControlTranslation></Destination>"),
        }) {
            assertRefused("MalformedXML", null, xml);
        }
    }

    @Test
    void schemaVersionsAreKeptApart() {
        String dest = "<Destination><Bucket>arn:aws:s3:::dest</Bucket></Destination>";
        String suffix = " for this version of Cross Region Replication configuration schema. Please refer to S3 Developer Guide for more information.";
        assertRefused("InvalidRequest", "Priority must be specified" + suffix, v2("<Filter/><Status>Enabled</Status>"
                + "<DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>" + dest));
        assertRefused("InvalidRequest", "DeleteMarkerReplication must be specified" + suffix,
                v2("<Priority>1</Priority><Filter/><Status>Enabled</Status>" + dest));
        assertRefused("InvalidRequest", "Priority cannot be used" + suffix,
                v2("<Priority>1</Priority><Prefix/><Status>Enabled</Status>" + dest));
        assertRefused("InvalidRequest", "DeleteMarkerReplication cannot be used" + suffix, v2("<Prefix/><Status>Enabled</Status>"
                + "<DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>" + dest));
    }

    @Test
    void ruleIdsAndPriorities() {
        String two = "<ReplicationConfiguration>" + ROLE + "<Rule>%s</Rule><Rule>%s</Rule></ReplicationConfiguration>";
        assertRefused("InvalidArgument", "Rule Id must be unique",
                two.formatted(rule("a", 1, "", "d1"), rule("a", 2, "", "d1")));
        assertRefused("InvalidRequest", "Found duplicate priority 1.",
                two.formatted(rule("a", 1, "", "d1"), rule("b", 1, "", "d1")));
        // rules of different destinations may share a priority
        assertEquals(2, parse(two.formatted(rule("a", 1, "", "d1"), rule("b", 1, "", "d2"))).rules().size());
        assertRefused("InvalidArgument", "Rule Id cannot be greater than 255", v2(rule("x".repeat(256), 1, "", "d")));
        assertRefused("InvalidRequest", "Priority must be between 0 and 2147483647.", v2(rule("a", -1, "", "d")));
        StringBuilder many = new StringBuilder("<ReplicationConfiguration>" + ROLE);
        for (int i = 0; i <= 1000; i++) {
            many.append("<Rule>").append(rule("r" + i, i, "", "d")).append("</Rule>");
        }
        assertRefused("InvalidRequest", ReplicationCodec.TOO_MANY_RULES, many + "</ReplicationConfiguration>");
        String thousand = many.substring(0, many.lastIndexOf("<Rule>")) + "</ReplicationConfiguration>";
        assertEquals(1000, parse(thousand).rules().size());
    }

    @Test
    void s3sOtherRules() {
        String dm = "<DeleteMarkerReplication><Status>%s</Status></DeleteMarkerReplication>";
        String dest = "<Destination><Bucket>arn:aws:s3:::dest</Bucket>%s</Destination>";
        String head = "<Priority>1</Priority><Filter/><Status>Enabled</Status>" + dm.formatted("Disabled");
        assertRefused("InvalidRequest", ReplicationCodec.TAG_DELETE_MARKERS, v2("<Priority>1</Priority><Filter><Tag><Key>k</Key>"
                + "<Value>v</Value></Tag></Filter><Status>Enabled</Status>" + dm.formatted("Enabled") + dest.formatted("")));
        assertRefused("InvalidRequest", ReplicationCodec.DUPLICATE_TAG_KEYS, v2("<Priority>1</Priority><Filter><And><Tag><Key>k"
                + "</Key><Value>v</Value></Tag><Tag><Key>k</Key><Value>w</Value></Tag></And></Filter><Status>Enabled</Status>"
                + dm.formatted("Disabled") + dest.formatted("")));
        assertRefused("InvalidRequest", ReplicationCodec.EMPTY_CRITERIA,
                v2(head + "<SourceSelectionCriteria/>" + dest.formatted("")));
        assertRefused("InvalidRequest", ReplicationCodec.KMS_KEY_NEEDED, v2(head + "<SourceSelectionCriteria><SseKmsEncryptedObjects>"
                + "<Status>Enabled</Status></SseKmsEncryptedObjects></SourceSelectionCriteria>" + dest.formatted("")));
        assertRefused("InvalidRequest", ReplicationCodec.SAME_BUCKET,
                v2(head + "<Destination><Bucket>arn:aws:s3:::source</Bucket></Destination>"));
        assertRefused("InvalidArgument", ReplicationCodec.INVALID_ARN, v2(head + "<Destination><Bucket>dest</Bucket></Destination>"));
        assertRefused("InvalidRequest", ReplicationCodec.ACCOUNT_NEEDED, v2(head + dest.formatted(
                "<AccessControlTranslation><Owner>Destination</Owner></AccessControlTranslation>")));
        assertRefused("InvalidRequest", ReplicationCodec.RTC_AND_METRICS, v2(head + dest.formatted(
                "<ReplicationTime><Status>Enabled</Status><Time><Minutes>15</Minutes></Time></ReplicationTime>")));
        assertRefused("InvalidArgument", "Invalid time minute value", v2(head + dest.formatted(
                "<ReplicationTime><Status>Enabled</Status><Time><Minutes>10</Minutes></Time></ReplicationTime>"
                        + "<Metrics><Status>Enabled</Status><EventThreshold><Minutes>15</Minutes></EventThreshold></Metrics>")));
        assertRefused("InvalidArgument", "ReplicationMetrics must contain an event threshold", v2(head + dest.formatted(
                "<ReplicationTime><Status>Enabled</Status><Time><Minutes>15</Minutes></Time></ReplicationTime>"
                        + "<Metrics><Status>Enabled</Status></Metrics>")));
        assertRefused("InvalidArgument", "Metrics cannot contain an event threshold when ReplicationTime is not specified or Disabled",
                v2(head + dest.formatted("<Metrics><Status>Enabled</Status><EventThreshold><Minutes>15</Minutes></EventThreshold></Metrics>")));
        // S3 does not look the replica key up (200 for a bogus key): neither does the proxy
        assertEquals("bogus", parse(v2(head + "<SourceSelectionCriteria><SseKmsEncryptedObjects><Status>Enabled</Status>"
                + "</SseKmsEncryptedObjects></SourceSelectionCriteria>" + dest.formatted(
                "<EncryptionConfiguration><ReplicaKmsKeyID>bogus</ReplicaKmsKeyID></EncryptionConfiguration>")))
                .rules().get(0).destination().replicaKmsKeyId());
    }
}
