package dev.sseproxy.it;

import static dev.sseproxy.it.NegativeIT.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sseproxy.it.RawHttp.Req;
import dev.sseproxy.it.RawHttp.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.DeleteMarkerReplicationStatus;
import software.amazon.awssdk.services.s3.model.ExistingObjectReplicationStatus;
import software.amazon.awssdk.services.s3.model.ReplicationConfiguration;
import software.amazon.awssdk.services.s3.model.ReplicationRule;
import software.amazon.awssdk.services.s3.model.ReplicationRuleStatus;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.SseKmsEncryptedObjectsStatus;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * Issue 15, item 2 (the bucket-level part), end to end: Put / Get / DeleteBucketReplication through the SDK v2,
 * the AWS CLI and raw HTTP, with S3's checks of the document and of the buckets it names, IAM's
 * {@code s3:PutReplicationConfiguration} / {@code s3:GetReplicationConfiguration}, and an external destination
 * the administrator configured (its own proxy, port offset 1110: offset 1100 would put its management port on 25600, h-reng's S3 port).
 */
class BucketReplicationIT {
    static final String ROLE = "arn:aws:iam::000000000001:role/replication";
    static final String EXTERNAL = "rcfgexternalreplicas";
    static S3Client s3;

    @BeforeAll
    static void setUp() {
        s3 = Clients.sdk();
    }

    @AfterAll
    static void tearDown() {
        if (s3 != null) {
            s3.close();
        }
    }

    static String versionedBucket(S3Client client, String prefix) {
        String b = Clients.newBucket(client, prefix);
        client.putBucketVersioning(r -> r.bucket(b).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        return b;
    }

    static ReplicationRule.Builder v2Rule(String id, int priority, String destination) {
        return ReplicationRule.builder().id(id).priority(priority).status(ReplicationRuleStatus.ENABLED)
                .filter(f -> f.prefix(""))
                .deleteMarkerReplication(d -> d.status(DeleteMarkerReplicationStatus.DISABLED))
                .destination(d -> d.bucket("arn:aws:s3:::" + destination));
    }

    static void put(String bucket, ReplicationRule... rules) {
        s3.putBucketReplication(r -> r.bucket(bucket).replicationConfiguration(c -> c.role(ROLE).rules(rules)));
    }

    static S3Exception refused(String bucket, ReplicationRule... rules) {
        return assertThrows(S3Exception.class, () -> put(bucket, rules));
    }

    static String md5(byte[] body) throws Exception {
        return java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("MD5").digest(body));
    }

    static S3Exception refused(Consumer<S3Client> call) {
        return assertThrows(S3Exception.class, () -> call.accept(s3));
    }

    @Test
    void theSdkPutsGetsAndDeletesAConfiguration() {
        String source = versionedBucket(s3, "rcfg-src");
        String dest = versionedBucket(s3, "rcfg-dst");
        String other = versionedBucket(s3, "rcfg-dst2");
        S3Exception none = refused(c -> c.getBucketReplication(r -> r.bucket(source)));
        assertError(none, 404, "ReplicationConfigurationNotFoundError", "The replication configuration was not found");

        ReplicationRule tagged = ReplicationRule.builder().id("tax").priority(2).status(ReplicationRuleStatus.ENABLED)
                .filter(f -> f.and(a -> a.prefix("TaxDocs/").tags(t -> t.key("k1").value("v1"), t -> t.key("k2").value("v2"))))
                .deleteMarkerReplication(d -> d.status(DeleteMarkerReplicationStatus.DISABLED))
                .sourceSelectionCriteria(s -> s.sseKmsEncryptedObjects(k -> k.status(SseKmsEncryptedObjectsStatus.ENABLED)))
                .existingObjectReplication(e -> e.status(ExistingObjectReplicationStatus.ENABLED))
                .destination(d -> d.bucket("arn:aws:s3:::" + dest).storageClass(StorageClass.STANDARD_IA)
                        .encryptionConfiguration(e -> e.replicaKmsKeyID("arn:aws:kms:us-east-1:000000000001:key/replica")))
                .build();
        ReplicationRule all = v2Rule("all", 1, other).deleteMarkerReplication(d -> d.status(DeleteMarkerReplicationStatus.ENABLED))
                .build();
        put(source, tagged, all);

        ReplicationConfiguration got = s3.getBucketReplication(r -> r.bucket(source)).replicationConfiguration();
        assertEquals(ROLE, got.role());
        assertEquals(2, got.rules().size());
        ReplicationRule t = got.rules().get(0);
        assertEquals("tax", t.id());
        assertEquals(2, t.priority());
        assertEquals("TaxDocs/", t.filter().and().prefix());
        assertEquals(List.of("k1=v1", "k2=v2"), t.filter().and().tags().stream().map(x -> x.key() + "=" + x.value()).toList());
        assertEquals(SseKmsEncryptedObjectsStatus.ENABLED, t.sourceSelectionCriteria().sseKmsEncryptedObjects().status());
        assertEquals(ExistingObjectReplicationStatus.ENABLED, t.existingObjectReplication().status());
        assertEquals("arn:aws:s3:::" + dest, t.destination().bucket());
        assertEquals(StorageClass.STANDARD_IA, t.destination().storageClass());
        assertEquals("arn:aws:kms:us-east-1:000000000001:key/replica", t.destination().encryptionConfiguration().replicaKmsKeyID());
        ReplicationRule a = got.rules().get(1);
        assertEquals("all", a.id());
        assertEquals("", a.filter().prefix());
        assertEquals(DeleteMarkerReplicationStatus.ENABLED, a.deleteMarkerReplication().status());

        // a PUT replaces the whole configuration; a rule without ID gets one
        put(source, ReplicationRule.builder().priority(0).status(ReplicationRuleStatus.DISABLED).filter(f -> f.prefix("p/"))
                .deleteMarkerReplication(d -> d.status(DeleteMarkerReplicationStatus.DISABLED))
                .destination(d -> d.bucket("arn:aws:s3:::" + dest)).build());
        ReplicationConfiguration replaced = s3.getBucketReplication(r -> r.bucket(source)).replicationConfiguration();
        assertEquals(1, replaced.rules().size());
        assertTrue(replaced.rules().get(0).id().length() > 20, replaced::toString);
        assertEquals(ReplicationRuleStatus.DISABLED, replaced.rules().get(0).status());

        assertEquals(204, s3.deleteBucketReplication(r -> r.bucket(source)).sdkHttpResponse().statusCode());
        assertError(refused(c -> c.getBucketReplication(r -> r.bucket(source))), 404, "ReplicationConfigurationNotFoundError",
                "The replication configuration was not found");
        assertEquals(204, s3.deleteBucketReplication(r -> r.bucket(source)).sdkHttpResponse().statusCode(), "idempotent");
    }

    @Test
    void theCallsAreInTheAuditTrailAsS3ManagementEvents() {
        String source = versionedBucket(s3, "rcfg-audit");
        String dest = versionedBucket(s3, "rcfg-audit-dst");
        put(source, v2Rule("audited", 3, dest).build());
        s3.getBucketReplication(r -> r.bucket(source));
        s3.deleteBucketReplication(r -> r.bucket(source));
        ProxyProcess proxy = ProxyProcess.get();
        try (CloudTrailClient trail = AuditTrailIT.cloudTrail(proxy.managementEndpoint(), ProxyProcess.ROOT_ACCESS_KEY,
                ProxyProcess.ROOT_SECRET_KEY)) {
            List<Event> events = List.of();
            for (int i = 0; i < 75 && events.size() < 3; i++) {
                events = AuditTrailIT.lookup(trail, LookupAttributeKey.RESOURCE_NAME, source).stream()
                        .filter(e -> e.eventName().endsWith("BucketReplication")).toList();
                if (events.size() < 3) {
                    ProxyProcess.sleep(200);
                }
            }
            assertEquals(Set.of("PutBucketReplication", "GetBucketReplication", "DeleteBucketReplication"),
                    events.stream().map(Event::eventName).collect(Collectors.toSet()));
            for (Event e : events) {
                JsonNode r = AuditTrailIT.record(e);
                assertEquals("Management", r.get("eventCategory").asText());
                assertEquals(e.eventName().startsWith("Get"), r.get("readOnly").asBoolean());
                assertEquals("", r.at("/requestParameters/replication").asText(null), r::toString);
                if (e.eventName().equals("PutBucketReplication")) {
                    JsonNode c = r.at("/requestParameters/ReplicationConfiguration");
                    assertEquals(ROLE, c.get("Role").asText(), r::toString);
                    assertEquals("audited", c.at("/Rule/0/ID").asText(), r::toString);
                    assertEquals("arn:aws:s3:::" + dest, c.at("/Rule/0/Destination/Bucket").asText(), r::toString);
                }
            }
        }
    }

    @Test
    void aV1RuleIsEchoedAsV1() throws Exception {
        String source = versionedBucket(s3, "rcfg-v1");
        String dest = versionedBucket(s3, "rcfg-v1-dst");
        String xml = "<ReplicationConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Role>" + ROLE + "</Role>"
                + "<Rule><ID>Rule-1</ID><Status>Enabled</Status><Prefix>logs/</Prefix><Destination><Bucket>arn:aws:s3:::" + dest
                + "</Bucket><StorageClass>STANDARD_IA</StorageClass></Destination></Rule></ReplicationConfiguration>";
        byte[] doc = xml.getBytes(StandardCharsets.UTF_8);
        Response unchecked = Req.of("PUT", "/" + source, "replication").body(doc).sign().send();
        assertError(unchecked, 400, "InvalidRequest", "Missing required header for this request: Content-MD5");
        Response put = Req.of("PUT", "/" + source, "replication").set("Content-MD5", md5(doc)).body(doc).sign().send();
        assertEquals(200, put.status(), put::toString);
        Response get = Req.of("GET", "/" + source, "replication").sign().send();
        assertEquals(200, get.status(), get::toString);
        assertTrue(get.text().contains("<Rule><ID>Rule-1</ID><Prefix>logs/</Prefix><Status>Enabled</Status><Destination><Bucket>"
                + "arn:aws:s3:::" + dest + "</Bucket><StorageClass>STANDARD_IA</StorageClass></Destination></Rule>"), get::toString);
        ReplicationRule r = s3.getBucketReplication(b -> b.bucket(source)).replicationConfiguration().rules().get(0);
        assertEquals("logs/", r.prefix());
        assertNull(r.filter());
        assertNull(r.priority());
    }

    @Test
    void theBucketsMustBeVersionedAndTheDestinationMustExist() {
        String unversioned = Clients.newBucket(s3, "rcfg-nover");
        String source = versionedBucket(s3, "rcfg-chk");
        String dest = versionedBucket(s3, "rcfg-chk-dst");
        String plainDest = Clients.newBucket(s3, "rcfg-chk-plain");
        assertError(refused(unversioned, v2Rule("r", 1, dest).build()), 400, "InvalidRequest",
                "Versioning must be 'Enabled' on the bucket to apply a replication configuration");
        s3.putBucketVersioning(r -> r.bucket(unversioned).versioningConfiguration(v -> v.status(BucketVersioningStatus.SUSPENDED)));
        assertError(refused(unversioned, v2Rule("r", 1, dest).build()), 400, "InvalidRequest",
                "Versioning must be 'Enabled' on the bucket to apply a replication configuration");
        assertError(refused(source, v2Rule("r", 1, "rcfg-no-such-bucket-anywhere").build()), 400, "InvalidRequest",
                "Destination bucket must exist.");
        assertError(refused(source, v2Rule("r", 1, plainDest).build()), 400, "InvalidRequest",
                "Destination bucket must have versioning enabled.");
        assertError(refused(source, v2Rule("r", 1, source).build()), 400, "InvalidRequest",
                "Destination bucket cannot be the same as the source bucket.");
        // nothing was stored by the refused calls
        assertError(refused(c -> c.getBucketReplication(r -> r.bucket(source))), 404, "ReplicationConfigurationNotFoundError", null);
    }

    @Test
    void theDocumentIsCheckedAsS3ChecksIt() throws Exception {
        String source = versionedBucket(s3, "rcfg-doc");
        String dest = versionedBucket(s3, "rcfg-doc-dst");
        String dest2 = versionedBucket(s3, "rcfg-doc-dst2");
        assertError(refused(source, v2Rule("same", 1, dest).build(), v2Rule("same", 2, dest).build()), 400, "InvalidArgument",
                "Rule Id must be unique");
        assertError(refused(source, v2Rule("a", 1, dest).build(), v2Rule("b", 1, dest).build()), 400, "InvalidRequest",
                "Found duplicate priority 1.");
        put(source, v2Rule("a", 1, dest).build(), v2Rule("b", 1, dest2).build()); // other destinations: fine
        assertError(refused(source, v2Rule("a", 1, dest).priority(null).build()), 400, "InvalidRequest",
                "Priority must be specified for this version of Cross Region Replication configuration schema. "
                        + "Please refer to S3 Developer Guide for more information.");
        assertError(refused(source, v2Rule("a", 1, dest).deleteMarkerReplication((software.amazon.awssdk.services.s3.model
                .DeleteMarkerReplication) null).build()), 400, "InvalidRequest",
                "DeleteMarkerReplication must be specified for this version of Cross Region Replication configuration schema. "
                        + "Please refer to S3 Developer Guide for more information.");
        assertError(refused(source, v2Rule("a", 1, dest).filter(f -> f.tag(t -> t.key("k").value("v")))
                .deleteMarkerReplication(d -> d.status(DeleteMarkerReplicationStatus.ENABLED)).build()), 400, "InvalidRequest",
                "Delete marker replication is not supported if any Tag filter is specified. "
                        + "Please refer to S3 Developer Guide for more information.");
        assertError(refused(source, v2Rule("a", 1, dest).sourceSelectionCriteria(s -> s.sseKmsEncryptedObjects(k -> k.status(
                SseKmsEncryptedObjectsStatus.ENABLED))).build()), 400, "InvalidRequest",
                "ReplicaKmsKeyID must be specified if SseKmsEncryptedObjects tag is present.");
        assertError(refused(source, v2Rule("a", 1, dest).destination(d -> d.bucket("arn:aws:s3:::" + dest)
                .replicationTime(t -> t.status("Enabled").time(m -> m.minutes(15)))).build()), 400, "InvalidRequest",
                "Replication destination must contain both ReplicationTime and Metrics or neither.");
        assertError(refused(source, v2Rule("a", 1, dest).destination(d -> d.bucket(dest)).build()), 400, "InvalidArgument",
                "Invalid bucket ARN");
        // S3 RTC with its metrics is accepted and echoed
        put(source, v2Rule("rtc", 1, dest).destination(d -> d.bucket("arn:aws:s3:::" + dest)
                .replicationTime(t -> t.status("Enabled").time(m -> m.minutes(15)))
                .metrics(m -> m.status("Enabled").eventThreshold(e -> e.minutes(15)))).build());
        ReplicationRule rtc = s3.getBucketReplication(r -> r.bucket(source)).replicationConfiguration().rules().get(0);
        assertEquals(15, rtc.destination().replicationTime().time().minutes());
        assertEquals(15, rtc.destination().metrics().eventThreshold().minutes());

        String ns = "<ReplicationConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">";
        for (String body : List.of("not xml", ns + "<Role>" + ROLE + "</Role></ReplicationConfiguration>",
                ns + "<Rule><Status>Enabled</Status><Prefix/><Destination><Bucket>arn:aws:s3:::" + dest
                        + "</Bucket></Destination></Rule></ReplicationConfiguration>",
                "<ReplicationConfiguration><Role>r</Role><Rule><Status>Maybe</Status><Prefix/><Destination><Bucket>arn:aws:s3:::"
                        + dest + "</Bucket></Destination></Rule></ReplicationConfiguration>")) {
            byte[] doc = body.getBytes(StandardCharsets.UTF_8);
            Response r = Req.of("PUT", "/" + source, "replication").set("Content-MD5", md5(doc)).body(doc).sign().send();
            assertError(r, 400, "MalformedXML", null);
        }
        // the refused documents left the last good configuration in place
        assertEquals("rtc", s3.getBucketReplication(r -> r.bucket(source)).replicationConfiguration().rules().get(0).id());
    }

    @Test
    void theActionsAreS3sAndOnlyTheOwnerMayActWithoutThem() throws Exception {
        ProxyProcess proxy = ProxyProcess.get();
        String source = versionedBucket(s3, "rcfg-iam");
        String dest = versionedBucket(s3, "rcfg-iam-dst");
        try (IamClient iam = IamUsersIT.iam(proxy.endpoint(), ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY)) {
            String reader = IamUsersIT.unique("rcfg-reader");
            AccessKey readerKey = IamUsersIT.userWithKey(iam, reader);
            iam.putUserPolicy(r -> r.userName(reader).policyName("get").policyDocument(IamUsersIT.allow(
                    "\"s3:GetReplicationConfiguration\"", "arn:aws:s3:::" + source)));
            String writer = IamUsersIT.unique("rcfg-writer");
            AccessKey writerKey = IamUsersIT.userWithKey(iam, writer);
            iam.putUserPolicy(r -> r.userName(writer).policyName("put").policyDocument(IamUsersIT.allow(
                    "\"s3:PutReplicationConfiguration\"", "arn:aws:s3:::" + source)));
            try (S3Client asReader = Clients.sdk(proxy.endpoint(), readerKey.accessKeyId(), readerKey.secretAccessKey());
                    S3Client asWriter = Clients.sdk(proxy.endpoint(), writerKey.accessKeyId(), writerKey.secretAccessKey())) {
                ReplicationRule rule = v2Rule("r", 1, dest).build();
                assertError(assertThrows(S3Exception.class, () -> asReader.putBucketReplication(r -> r.bucket(source)
                        .replicationConfiguration(c -> c.role(ROLE).rules(rule)))), 403, "AccessDenied", null);
                assertError(assertThrows(S3Exception.class, () -> asReader.deleteBucketReplication(r -> r.bucket(source))),
                        403, "AccessDenied", null);
                asWriter.putBucketReplication(r -> r.bucket(source).replicationConfiguration(c -> c.role(ROLE).rules(rule)));
                assertError(assertThrows(S3Exception.class, () -> asWriter.getBucketReplication(r -> r.bucket(source))),
                        403, "AccessDenied", null);
                assertEquals("r", asReader.getBucketReplication(r -> r.bucket(source)).replicationConfiguration().rules().get(0).id());
                assertEquals(204, asWriter.deleteBucketReplication(r -> r.bucket(source)).sdkHttpResponse().statusCode());
            }
        }
    }

    @Test
    void anotherAccountMayNotTouchTheConfigurationButItsBucketMayBeADestination() {
        String source = versionedBucket(s3, "rcfg-xacct");
        String[] other = ProxyProcess.get().newAccount("rcfg-other-" + java.util.UUID.randomUUID().toString().substring(0, 8));
        try (S3Client otherS3 = Clients.sdk(ProxyProcess.get().endpoint(), other[1], other[2])) {
            String theirs = versionedBucket(otherS3, "rcfg-xacct-dst");
            // a bucket of another account behind this proxy is a destination (its policy is checked per object)
            put(source, v2Rule("cross", 1, theirs).build());
            ReplicationRule rule = v2Rule("mine", 1, source).build();
            assertError(assertThrows(S3Exception.class, () -> otherS3.getBucketReplication(r -> r.bucket(source))),
                    403, "AccessDenied", null);
            assertError(assertThrows(S3Exception.class, () -> otherS3.putBucketReplication(r -> r.bucket(source)
                    .replicationConfiguration(c -> c.role(ROLE).rules(rule)))), 403, "AccessDenied", null);
            assertError(assertThrows(S3Exception.class, () -> otherS3.deleteBucketReplication(r -> r.bucket(source))),
                    403, "AccessDenied", null);
            assertEquals("cross", s3.getBucketReplication(r -> r.bucket(source)).replicationConfiguration().rules().get(0).id());
        }
    }

    @Test
    void theAwsCliPutsAJsonFileAndGetsItBack() throws Exception {
        String source = versionedBucket(s3, "rcfg-cli");
        String dest = versionedBucket(s3, "rcfg-cli-dst");
        Path home = Files.createTempDirectory("rcfg-cli");
        String[] root = {"000000000001", ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY};
        String json = "{\"Role\":\"" + ROLE + "\",\"Rules\":[{\"ID\":\"cli\",\"Priority\":1,\"Filter\":{\"Prefix\":\"docs/\"},"
                + "\"Status\":\"Enabled\",\"Destination\":{\"Bucket\":\"arn:aws:s3:::" + dest + "\"},"
                + "\"DeleteMarkerReplication\":{\"Status\":\"Enabled\"}}]}";
        Path file = Files.writeString(home.resolve("replication.json"), json);
        KmsApiIT.CliResult put = KmsApiIT.awsCli(home, ProxyProcess.get().endpoint(), root, "s3api", "put-bucket-replication",
                "--bucket", source, "--replication-configuration", "file://" + file);
        assertEquals(0, put.exit(), put::toString);
        KmsApiIT.CliResult get = KmsApiIT.awsCli(home, ProxyProcess.get().endpoint(), root, "s3api", "get-bucket-replication",
                "--bucket", source);
        assertEquals(0, get.exit(), get::toString);
        ObjectMapper m = new ObjectMapper();
        JsonNode got = m.readTree(get.stdout()).get("ReplicationConfiguration");
        assertEquals(m.readTree(json), got, get::toString);

        KmsApiIT.CliResult bad = KmsApiIT.awsCli(home, ProxyProcess.get().endpoint(), root, "s3api", "put-bucket-replication",
                "--bucket", source, "--replication-configuration", json.replace("\"Priority\":1,", ""));
        assertEquals(254, bad.exit(), bad::toString);
        assertTrue(bad.stderr().contains("(InvalidRequest)") && bad.stderr().contains("Priority must be specified"), bad::toString);

        KmsApiIT.CliResult delete = KmsApiIT.awsCli(home, ProxyProcess.get().endpoint(), root, "s3api", "delete-bucket-replication",
                "--bucket", source);
        assertEquals(0, delete.exit(), delete::toString);
        KmsApiIT.CliResult gone = KmsApiIT.awsCli(home, ProxyProcess.get().endpoint(), root, "s3api", "get-bucket-replication",
                "--bucket", source);
        assertEquals(254, gone.exit(), gone::toString);
        assertTrue(gone.stderr().contains("(ReplicationConfigurationNotFoundError)"), gone::toString);
    }

    @Test
    void anAdminConfiguredExternalBucketIsADestination() {
        ProxyProcess proxy = ProxyProcess.startDedicated("rcfg-external", 1110, Map.of(
                "SSE_PROXY_REPLICATION_EXTERNAL_" + EXTERNAL.toUpperCase().replace('-', '_') + "_ENDPOINT", "http://127.0.0.1:9",
                "SSE_PROXY_REPLICATION_EXTERNAL_" + EXTERNAL.toUpperCase().replace('-', '_') + "_ACCESS_KEY_ID", "replicator",
                "SSE_PROXY_REPLICATION_EXTERNAL_" + EXTERNAL.toUpperCase().replace('-', '_') + "_SECRET_ACCESS_KEY", "replicator-secret"));
        try (S3Client client = Clients.sdk(proxy.endpoint(), ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY)) {
            String source = versionedBucket(client, "rcfg-ext");
            client.putBucketReplication(r -> r.bucket(source).replicationConfiguration(c -> c.role(ROLE)
                    .rules(v2Rule("out", 1, EXTERNAL).build())));
            assertEquals("arn:aws:s3:::" + EXTERNAL, client.getBucketReplication(r -> r.bucket(source)).replicationConfiguration()
                    .rules().get(0).destination().bucket());
            S3Exception e = assertThrows(S3Exception.class, () -> client.putBucketReplication(r -> r.bucket(source)
                    .replicationConfiguration(c -> c.role(ROLE).rules(v2Rule("out", 1, "rcfg-not-configured").build()))));
            assertError(e, 400, "InvalidRequest", "Destination bucket must exist.");
        } finally {
            proxy.stop();
        }
    }
}
