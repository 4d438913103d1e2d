package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AlreadyExistsException;
import software.amazon.awssdk.services.kms.model.KeyListEntry;
import software.amazon.awssdk.services.kms.model.KeyManagerType;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.ListKeysResponse;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.ScheduleKeyDeletionResponse;

/**
 * The KMS-shaped API on the management port, driven by the AWS CLI v2 ({@code /usr/bin/aws kms
 * --endpoint-url …}) and the AWS SDK v2 {@code KmsClient}, unchanged, against the packaged proxy.
 * Two accounts show that keys, aliases and policies are per account.
 */
class KmsApiIT {
    private static final String AWS = "/usr/bin/aws";
    private static final String REGION = "us-east-1";
    private static final ObjectMapper JSON = new ObjectMapper();

    static ProxyProcess proxy;
    static String[] alice;
    static String[] bob;
    static KmsClient aliceKms;
    static KmsClient bobKms;
    static Path home;

    @BeforeAll
    static void setUp() throws IOException {
        proxy = ProxyProcess.get();
        alice = proxy.newAccount("kms-alice-" + UUID.randomUUID().toString().substring(0, 8));
        bob = proxy.newAccount("kms-bob-" + UUID.randomUUID().toString().substring(0, 8));
        aliceKms = sdk(alice[1], alice[2]);
        bobKms = sdk(bob[1], bob[2]);
        home = Files.createTempDirectory("sse-proxy-kms-it");
    }

    static KmsClient sdk(String accessKey, String secretKey) {
        return KmsClient.builder().endpointOverride(proxy.managementEndpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    static String arnPattern(String account) {
        return "arn:aws:kms:us-east-1:" + account + ":key/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    }

    // ---------------------------------------------------------------- AWS CLI v2

    @Test
    void cliCreatesDescribesAndListsAKey() throws Exception {
        JsonNode created = cli(alice, "create-key", "--description", "made by the CLI").path("KeyMetadata");
        String keyId = created.path("KeyId").asText();
        assertEquals(alice[0], created.path("AWSAccountId").asText());
        assertTrue(created.path("Arn").asText().matches(arnPattern(alice[0])), created.toString());
        assertTrue(created.path("Arn").asText().endsWith(keyId));
        assertEquals("made by the CLI", created.path("Description").asText());
        assertEquals("Enabled", created.path("KeyState").asText());
        assertTrue(created.path("Enabled").asBoolean());
        assertEquals("ENCRYPT_DECRYPT", created.path("KeyUsage").asText());
        assertEquals("SYMMETRIC_DEFAULT", created.path("KeySpec").asText());
        assertEquals("SYMMETRIC_DEFAULT", created.path("CustomerMasterKeySpec").asText());
        assertEquals("AWS_KMS", created.path("Origin").asText());
        assertEquals("CUSTOMER", created.path("KeyManager").asText());
        assertEquals("SYMMETRIC_DEFAULT", created.path("EncryptionAlgorithms").path(0).asText());
        assertFalse(created.path("MultiRegion").asBoolean(true));
        // the wire carries epoch seconds; CLI v2 prints timestamps as ISO 8601
        assertTrue(Duration.between(cliTime(created.path("CreationDate")), Instant.now()).abs().toMinutes() < 2,
                created.toString());

        JsonNode described = cli(alice, "describe-key", "--key-id", keyId).path("KeyMetadata");
        assertEquals(created, described);

        List<String> listed = new ArrayList<>();
        cli(alice, "list-keys").path("Keys").forEach(k -> listed.add(k.path("KeyId").asText() + " " + k.path("KeyArn").asText()));
        assertTrue(listed.contains(keyId + " " + created.path("Arn").asText()), listed.toString());
    }

    @Test
    void cliCreatesListsResolvesAndDeletesAnAlias() throws Exception {
        String keyId = cli(alice, "create-key").path("KeyMetadata").path("KeyId").asText();
        String alias = "alias/cli-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals("", cliRaw(alice, "create-alias", "--alias-name", alias, "--target-key-id", keyId).stdout().trim());
        JsonNode entry = aliasEntry(cli(alice, "list-aliases"), alias);
        assertNotNull(entry, "alias listed");
        assertEquals("arn:aws:kms:us-east-1:" + alice[0] + ":" + alias, entry.path("AliasArn").asText());
        assertEquals(keyId, entry.path("TargetKeyId").asText());
        assertNotNull(aliasEntry(cli(alice, "list-aliases", "--key-id", keyId), alias));
        assertEquals(keyId, cli(alice, "describe-key", "--key-id", alias).path("KeyMetadata").path("KeyId").asText());

        cliRaw(alice, "delete-alias", "--alias-name", alias);
        assertNull(aliasEntry(cli(alice, "list-aliases"), alias));
        CliResult gone = cliRaw(alice, "describe-key", "--key-id", alias);
        assertTrue(gone.stderr().contains("(NotFoundException)") && gone.stderr().contains(
                "Alias arn:aws:kms:us-east-1:" + alice[0] + ":" + alias + " is not found."), gone.toString());
    }

    /** Issue 4 acceptance: keys made and disabled with the AWS CLI govern the S3 data path at once. */
    @Test
    void cliDisabledKeyTurnsTheNextPutIntoKmsDisabledException() throws Exception {
        JsonNode key = cli(alice, "create-key").path("KeyMetadata");
        String alias = "alias/cli-put-" + UUID.randomUUID().toString().substring(0, 8);
        cliRaw(alice, "create-alias", "--alias-name", alias, "--target-key-id", key.path("KeyId").asText());
        try (var s3 = Clients.sdk(proxy.endpoint(), alice[1], alice[2])) {
            String bucket = Clients.bucketName("kms-cli");
            s3.createBucket(b -> b.bucket(bucket));
            var put = s3.putObject(b -> b.bucket(bucket).key("before").serverSideEncryption("aws:kms").ssekmsKeyId(alias),
                    software.amazon.awssdk.core.sync.RequestBody.fromString("x"));
            assertEquals(key.path("Arn").asText(), put.ssekmsKeyId());
            cliRaw(alice, "disable-key", "--key-id", key.path("KeyId").asText());
            var e = assertThrows(software.amazon.awssdk.services.s3.model.S3Exception.class, () -> s3.putObject(b -> b
                    .bucket(bucket).key("after").serverSideEncryption("aws:kms").ssekmsKeyId(alias),
                    software.amazon.awssdk.core.sync.RequestBody.fromString("x")));
            assertEquals(400, e.statusCode());
            assertEquals("KMS.DisabledException", e.awsErrorDetails().errorCode());
            assertEquals(key.path("Arn").asText() + " is disabled.", e.awsErrorDetails().errorMessage());
        }
    }

    @Test
    void cliDisablesEnablesSchedulesAndCancelsDeletion() throws Exception {
        JsonNode key = cli(alice, "create-key").path("KeyMetadata");
        String keyId = key.path("KeyId").asText();
        cliRaw(alice, "disable-key", "--key-id", keyId);
        JsonNode disabled = cli(alice, "describe-key", "--key-id", keyId).path("KeyMetadata");
        assertEquals("Disabled", disabled.path("KeyState").asText());
        assertFalse(disabled.path("Enabled").asBoolean(true));
        cliRaw(alice, "enable-key", "--key-id", key.path("Arn").asText());
        assertEquals("Enabled", cli(alice, "describe-key", "--key-id", keyId).path("KeyMetadata").path("KeyState").asText());

        JsonNode scheduled = cli(alice, "schedule-key-deletion", "--key-id", keyId, "--pending-window-in-days", "7");
        assertEquals(key.path("Arn").asText(), scheduled.path("KeyId").asText());
        assertEquals("PendingDeletion", scheduled.path("KeyState").asText());
        assertEquals(7, scheduled.path("PendingWindowInDays").asInt());
        Instant deletion = cliTime(scheduled.path("DeletionDate"));
        assertTrue(Duration.between(Instant.now().plus(Duration.ofDays(7)), deletion).abs().toMinutes() < 2,
                scheduled.toString());
        JsonNode pending = cli(alice, "describe-key", "--key-id", keyId).path("KeyMetadata");
        assertEquals(deletion, cliTime(pending.path("DeletionDate")));

        assertEquals(key.path("Arn").asText(), cli(alice, "cancel-key-deletion", "--key-id", keyId).path("KeyId").asText());
        JsonNode cancelled = cli(alice, "describe-key", "--key-id", keyId).path("KeyMetadata");
        assertEquals("Disabled", cancelled.path("KeyState").asText());
        assertTrue(cancelled.path("DeletionDate").isMissingNode());
    }

    @Test
    void cliGetsAndPutsTheKeyPolicy() throws Exception {
        String keyId = cli(alice, "create-key").path("KeyMetadata").path("KeyId").asText();
        JsonNode policy = JSON.readTree(cli(alice, "get-key-policy", "--key-id", keyId, "--policy-name", "default")
                .path("Policy").asText());
        assertEquals("arn:aws:iam::" + alice[0] + ":root", policy.path("Statement").path(0).path("Principal").path("AWS").asText());
        assertEquals("kms:*", policy.path("Statement").path(0).path("Action").asText());

        String shared = sharingPolicy(alice[0], bob[0], "kms:Decrypt");
        cliRaw(alice, "put-key-policy", "--key-id", keyId, "--policy-name", "default", "--policy", shared);
        assertEquals(shared, cli(alice, "get-key-policy", "--key-id", keyId, "--policy-name", "default").path("Policy").asText());
    }

    @Test
    void cliShowsAwsErrorsByName() throws Exception {
        String missing = UUID.randomUUID().toString();
        CliResult r = cliRaw(alice, "describe-key", "--key-id", missing);
        assertEquals(254, r.exit(), r.toString());
        assertTrue(r.stderr().contains("An error occurred (NotFoundException) when calling the DescribeKey operation: "
                + "Key 'arn:aws:kms:us-east-1:" + alice[0] + ":key/" + missing + "' does not exist"), r.toString());
    }

    // ---------------------------------------------------------------- AWS SDK v2

    @Test
    void sdkRunsAKeyThroughItsWholeLife() {
        KeyMetadata created = aliceKms.createKey(b -> b.description("sdk key")).keyMetadata();
        assertEquals(KeyState.ENABLED, created.keyState());
        assertEquals(KeyManagerType.CUSTOMER, created.keyManager());
        assertTrue(Duration.between(created.creationDate(), Instant.now()).abs().getSeconds() < 120);
        String alias = "alias/sdk-" + UUID.randomUUID().toString().substring(0, 8);
        aliceKms.createAlias(b -> b.aliasName(alias).targetKeyId(created.arn()));
        assertEquals(created.keyId(), aliceKms.describeKey(b -> b.keyId(alias)).keyMetadata().keyId());
        assertEquals(created.keyId(), aliceKms.describeKey(b -> b.keyId("arn:aws:kms:us-east-1:" + alice[0] + ":" + alias))
                .keyMetadata().keyId());

        aliceKms.disableKey(b -> b.keyId(created.keyId()));
        assertEquals(KeyState.DISABLED, aliceKms.describeKey(b -> b.keyId(created.arn())).keyMetadata().keyState());
        aliceKms.enableKey(b -> b.keyId(created.keyId()));
        assertTrue(aliceKms.describeKey(b -> b.keyId(created.arn())).keyMetadata().enabled());

        ScheduleKeyDeletionResponse scheduled = aliceKms.scheduleKeyDeletion(b -> b.keyId(created.keyId()));
        assertEquals(30, scheduled.pendingWindowInDays());
        assertEquals(KeyState.PENDING_DELETION, scheduled.keyState());
        assertEquals(created.arn(), scheduled.keyId());
        assertThrows(KmsInvalidStateException.class, () -> aliceKms.disableKey(b -> b.keyId(created.keyId())));
        assertThrows(KmsInvalidStateException.class,
                () -> aliceKms.createAlias(b -> b.aliasName(alias + "-2").targetKeyId(created.keyId())));
        assertEquals(created.arn(), aliceKms.cancelKeyDeletion(b -> b.keyId(created.keyId())).keyId());
        assertEquals(KeyState.DISABLED, aliceKms.describeKey(b -> b.keyId(created.keyId())).keyMetadata().keyState());

        String policy = sharingPolicy(alice[0], bob[0], "kms:GenerateDataKey");
        aliceKms.putKeyPolicy(b -> b.keyId(created.keyId()).policyName("default").policy(policy));
        assertEquals(policy, aliceKms.getKeyPolicy(b -> b.keyId(created.keyId()).policyName("default")).policy());
        aliceKms.deleteAlias(b -> b.aliasName(alias));
        assertThrows(NotFoundException.class, () -> aliceKms.describeKey(b -> b.keyId(alias)));
    }

    @Test
    void sdkPagesThroughListKeysWithMarkers() {
        for (int i = 0; i < 3; i++) {
            bobKms.createKey(b -> b.description("page"));
        }
        List<String> all = new ArrayList<>();
        bobKms.listKeysPaginator(b -> b.limit(2)).keys().forEach(k -> all.add(k.keyId()));
        ListKeysResponse first = bobKms.listKeys(b -> b.limit(2));
        assertTrue(first.truncated());
        assertEquals(2, first.keys().size());
        ListKeysResponse second = bobKms.listKeys(b -> b.limit(2).marker(first.nextMarker()));
        assertEquals(all.subList(2, Math.min(4, all.size())), second.keys().stream().map(KeyListEntry::keyId).toList());
        assertTrue(all.size() >= 3);
        assertEquals(all.stream().distinct().count(), all.size());
    }

    @Test
    void unknownKeysAreNotFoundWithAwsMessages() {
        String missing = UUID.randomUUID().toString();
        NotFoundException e = assertThrows(NotFoundException.class, () -> aliceKms.describeKey(b -> b.keyId(missing)));
        assertEquals("Key 'arn:aws:kms:us-east-1:" + alice[0] + ":key/" + missing + "' does not exist",
                e.awsErrorDetails().errorMessage());
        assertEquals(400, e.statusCode());
        NotFoundException invalid = assertThrows(NotFoundException.class,
                () -> aliceKms.describeKey(b -> b.keyId("fake-key-id")));
        assertEquals("Invalid keyId 'fake-key-id'", invalid.awsErrorDetails().errorMessage());
        NotFoundException region = assertThrows(NotFoundException.class,
                () -> aliceKms.describeKey(b -> b.keyId("arn:aws:kms:us-west-2:" + alice[0] + ":key/" + missing)));
        assertEquals("Invalid arn us-west-2", region.awsErrorDetails().errorMessage());
        assertThrows(NotFoundException.class, () -> aliceKms.describeKey(b -> b.keyId("alias/aws/s3")));
    }

    @Test
    void aliasesInTheAwsNamespaceAreReserved() {
        String keyId = aliceKms.createKey(b -> { }).keyMetadata().keyId();
        KmsException e = assertThrows(KmsException.class,
                () -> aliceKms.createAlias(b -> b.aliasName("alias/aws/mine").targetKeyId(keyId)));
        assertEquals("NotAuthorizedException", e.awsErrorDetails().errorCode());
        assertEquals(400, e.statusCode());
        assertTrue(e.awsErrorDetails().errorMessage().contains("alias/aws/"));
    }

    @Test
    void anAliasNameIsTakenOncePerAccount() {
        String mine = aliceKms.createKey(b -> { }).keyMetadata().keyId();
        String theirs = bobKms.createKey(b -> { }).keyMetadata().keyId();
        String alias = "alias/twice-" + UUID.randomUUID().toString().substring(0, 8);
        aliceKms.createAlias(b -> b.aliasName(alias).targetKeyId(mine));
        assertThrows(AlreadyExistsException.class, () -> aliceKms.createAlias(b -> b.aliasName(alias).targetKeyId(mine)));
        bobKms.createAlias(b -> b.aliasName(alias).targetKeyId(theirs));
        assertEquals(theirs, bobKms.describeKey(b -> b.keyId(alias)).keyMetadata().keyId());
    }

    @Test
    void aPendingWindowOfThreeDaysIsAValidationException() {
        String keyId = aliceKms.createKey(b -> { }).keyMetadata().keyId();
        KmsException e = assertThrows(KmsException.class,
                () -> aliceKms.scheduleKeyDeletion(b -> b.keyId(keyId).pendingWindowInDays(3)));
        assertEquals("ValidationException", e.awsErrorDetails().errorCode());
        assertEquals("1 validation error detected: Value '3' at 'pendingWindowInDays' failed to satisfy constraint: "
                + "Member must have value greater than or equal to 7", e.awsErrorDetails().errorMessage());
        assertEquals(KeyState.ENABLED, aliceKms.describeKey(b -> b.keyId(keyId)).keyMetadata().keyState());
    }

    @Test
    void anotherAccountSeesAKeyOnlyByFullArnAndWithAGrant() {
        KeyMetadata key = aliceKms.createKey(b -> b.description("alice's")).keyMetadata();
        String alias = "alias/alices-" + UUID.randomUUID().toString().substring(0, 8);
        aliceKms.createAlias(b -> b.aliasName(alias).targetKeyId(key.keyId()));

        assertFalse(bobKms.listKeys().keys().stream().anyMatch(k -> k.keyId().equals(key.keyId())));
        assertFalse(bobKms.listAliases().aliases().stream().anyMatch(a -> a.aliasName().equals(alias)));
        assertThrows(NotFoundException.class, () -> bobKms.describeKey(b -> b.keyId(key.keyId())));
        assertThrows(NotFoundException.class, () -> bobKms.describeKey(b -> b.keyId(alias)));
        KmsException denied = assertThrows(KmsException.class, () -> bobKms.describeKey(b -> b.keyId(key.arn())));
        assertEquals("AccessDeniedException", denied.awsErrorDetails().errorCode());
        assertTrue(denied.awsErrorDetails().errorMessage().startsWith("User: arn:aws:iam::" + bob[0]
                + ":root is not authorized to perform: kms:DescribeKey"), denied.getMessage());

        aliceKms.putKeyPolicy(b -> b.keyId(key.keyId()).policyName("default")
                .policy(sharingPolicy(alice[0], bob[0], "kms:DescribeKey")));
        assertEquals(key.keyId(), bobKms.describeKey(b -> b.keyId(key.arn())).keyMetadata().keyId());
        assertEquals(key.keyId(), bobKms.describeKey(b -> b.keyId("arn:aws:kms:us-east-1:" + alice[0] + ":" + alias))
                .keyMetadata().keyId());
        assertEquals("AccessDeniedException", assertThrows(KmsException.class,
                () -> bobKms.disableKey(b -> b.keyId(key.arn()))).awsErrorDetails().errorCode());
        assertEquals("AccessDeniedException", assertThrows(KmsException.class,
                () -> bobKms.getKeyPolicy(b -> b.keyId(key.arn()).policyName("default"))).awsErrorDetails().errorCode());
        assertEquals(KeyState.ENABLED, aliceKms.describeKey(b -> b.keyId(key.keyId())).keyMetadata().keyState());
    }

    @Test
    void operationsSseProxyDoesNotServeAreUnknownOperations() {
        String keyId = aliceKms.createKey(b -> { }).keyMetadata().keyId();
        KmsException e = assertThrows(KmsException.class,
                () -> aliceKms.encrypt(b -> b.keyId(keyId).plaintext(SdkBytes.fromUtf8String("x"))));
        assertEquals("UnknownOperationException", e.awsErrorDetails().errorCode());
        assertEquals(400, e.statusCode());
    }

    @Test
    void unsupportedKeySpecsAreRefused() {
        KmsException e = assertThrows(KmsException.class, () -> aliceKms.createKey(b -> b.keySpec("RSA_2048")
                .keyUsage("SIGN_VERIFY")));
        assertEquals("UnsupportedOperationException", e.awsErrorDetails().errorCode());
    }

    @Test
    void wrongCredentialsAreRefusedAsAwsJsonServicesDo() {
        KmsException unknown = assertThrows(KmsException.class, () -> sdk("AKNOSUCHKEY", "x").listKeys());
        assertEquals("UnrecognizedClientException", unknown.awsErrorDetails().errorCode());
        KmsException badSecret = assertThrows(KmsException.class, () -> sdk(alice[1], "not-the-secret").listKeys());
        assertEquals("InvalidSignatureException", badSecret.awsErrorDetails().errorCode());
    }

    @Test
    void anUnsignedRequestIsMissingAuthentication() throws Exception {
        HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(proxy.managementEndpoint().resolve("/"))
                        .header("Content-Type", "application/x-amz-json-1.1")
                        .header("X-Amz-Target", "TrentService.ListKeys")
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, r.statusCode());
        assertEquals("MissingAuthenticationTokenException", JSON.readTree(r.body()).path("__type").asText());
        assertEquals("application/x-amz-json-1.1", r.headers().firstValue("Content-Type").orElse(""));
    }

    // ---------------------------------------------------------------- resolution (admin diagnostic)

    @Test
    void concurrentFirstUsesCreateOneAwsS3KeyThatThenShowsInListAliases() throws Exception {
        String[] carol = proxy.newAccount("kms-carol-" + UUID.randomUUID().toString().substring(0, 8));
        KmsClient carolKms = sdk(carol[1], carol[2]);
        assertThrows(NotFoundException.class, () -> carolKms.describeKey(b -> b.keyId("alias/aws/s3")));
        List<java.util.concurrent.CompletableFuture<Resolution>> uses = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            uses.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> resolve(carol[0], null, "GenerateDataKey")));
        }
        List<String> keyIds = uses.stream().map(f -> f.join().ok().path("keyId").asText()).distinct().toList();
        assertEquals(1, keyIds.size(), keyIds.toString());

        KeyMetadata awsS3 = carolKms.describeKey(b -> b.keyId("alias/aws/s3")).keyMetadata();
        assertEquals(keyIds.get(0), awsS3.keyId());
        assertEquals(KeyManagerType.AWS, awsS3.keyManager());
        assertEquals("Default key that protects my S3 objects when no other key is defined", awsS3.description());
        assertTrue(carolKms.listAliases().aliases().stream()
                .anyMatch(a -> a.aliasName().equals("alias/aws/s3") && a.targetKeyId().equals(awsS3.keyId())));
        assertEquals(1, carolKms.listKeys().keys().size());
        assertEquals(awsS3.keyId(), resolve(carol[0], "alias/aws/s3", "Decrypt").ok().path("keyId").asText());
        KmsException e = assertThrows(KmsException.class, () -> carolKms.disableKey(b -> b.keyId(awsS3.keyId())));
        assertEquals("UnsupportedOperationException", e.awsErrorDetails().errorCode());
        assertEquals(403, resolve(alice[0], awsS3.arn(), "Decrypt").status(), "aws/s3 is never shared");
    }

    @Test
    void aDisabledKeyFailsItsNextUseWithKmsDisabledException() {
        KeyMetadata key = aliceKms.createKey(b -> { }).keyMetadata();
        assertEquals(key.arn(), resolve(alice[0], key.keyId(), "GenerateDataKey").ok().path("arn").asText());
        aliceKms.disableKey(b -> b.keyId(key.keyId()));
        resolve(alice[0], key.keyId(), "GenerateDataKey").fails(400, "KMS.DisabledException", key.arn() + " is disabled.");
        aliceKms.enableKey(b -> b.keyId(key.keyId()));
        assertEquals(200, resolve(alice[0], key.arn(), "Decrypt").status());
        aliceKms.scheduleKeyDeletion(b -> b.keyId(key.keyId()).pendingWindowInDays(7));
        resolve(alice[0], key.arn(), "Decrypt").fails(400, "KMS.KMSInvalidStateException",
                key.arn() + " is pending deletion.");
    }

    @Test
    void resolutionErrorsCarryTheMessagesS3Reports() {
        String missing = UUID.randomUUID().toString();
        resolve(alice[0], "fake-key-id", "GenerateDataKey").fails(400, "KMS.NotFoundException", "Invalid keyId 'fake-key-id'");
        resolve(alice[0], missing, "GenerateDataKey").fails(400, "KMS.NotFoundException",
                "Key 'arn:aws:kms:us-east-1:" + alice[0] + ":key/" + missing + "' does not exist");
        resolve(alice[0], "arn:aws:kms:us-west-2:" + alice[0] + ":key/" + missing, "GenerateDataKey")
                .fails(400, "KMS.NotFoundException", "Invalid arn us-west-2");
        resolve(alice[0], "alias/none", "GenerateDataKey").fails(400, "KMS.NotFoundException",
                "Alias arn:aws:kms:us-east-1:" + alice[0] + ":alias/none is not found.");
    }

    @Test
    void anotherAccountUsesAKeyOnlyByFullArnAndOnlyForGrantedActions() {
        KeyMetadata key = aliceKms.createKey(b -> { }).keyMetadata();
        String alias = "alias/use-" + UUID.randomUUID().toString().substring(0, 8);
        aliceKms.createAlias(b -> b.aliasName(alias).targetKeyId(key.keyId()));
        resolve(bob[0], key.keyId(), "GenerateDataKey").fails(400, "KMS.NotFoundException",
                "Key 'arn:aws:kms:us-east-1:" + bob[0] + ":key/" + key.keyId() + "' does not exist");
        resolve(bob[0], alias, "GenerateDataKey").fails(400, "KMS.NotFoundException",
                "Alias arn:aws:kms:us-east-1:" + bob[0] + ":" + alias + " is not found.");
        assertEquals(403, resolve(bob[0], key.arn(), "GenerateDataKey").status());

        aliceKms.putKeyPolicy(b -> b.keyId(key.keyId()).policyName("default")
                .policy(sharingPolicy(alice[0], bob[0], "kms:GenerateDataKey")));
        assertEquals(key.arn(), resolve(bob[0], key.arn(), "GenerateDataKey").ok().path("arn").asText());
        assertEquals(key.arn(), resolve(bob[0], "arn:aws:kms:us-east-1:" + alice[0] + ":" + alias, "GenerateDataKey")
                .ok().path("arn").asText());
        Resolution decrypt = resolve(bob[0], key.arn(), "Decrypt");
        assertEquals(403, decrypt.status());
        assertEquals("AccessDenied", decrypt.body().path("code").asText());
    }

    /** What {@code GET /admin/kms/resolve} answered. */
    record Resolution(int status, JsonNode body) {
        JsonNode ok() {
            assertEquals(200, status, body.toString());
            return body;
        }

        void fails(int expectedStatus, String code, String message) {
            assertEquals(expectedStatus, status, body.toString());
            assertEquals(code, body.path("code").asText(), body.toString());
            assertEquals(message, body.path("error").asText());
        }
    }

    /** Which key a data-path request of {@code account} naming {@code keyId} would use (admin diagnostic, as root). */
    static Resolution resolve(String account, String keyId, String action) {
        StringBuilder query = new StringBuilder("account=" + account + "&action=" + action);
        if (keyId != null) {
            query.append("&keyId=").append(java.net.URLEncoder.encode(keyId, java.nio.charset.StandardCharsets.UTF_8));
        }
        try {
            HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                    ProxyProcess.signed("GET", proxy.managementEndpoint(), "/admin/kms/resolve", query.toString(), "",
                            ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY), HttpResponse.BodyHandlers.ofString());
            return new Resolution(r.statusCode(), JSON.readTree(r.body()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- helpers

    static String sharingPolicy(String owner, String grantee, String action) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Sid\":\"owner\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + owner + ":root\"},"
                + "\"Action\":\"kms:*\",\"Resource\":\"*\"},"
                + "{\"Sid\":\"grant\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"arn:aws:iam::" + grantee + ":root\"]},"
                + "\"Action\":[\"" + action + "\"],\"Resource\":\"*\"}]}";
    }

    /** A timestamp as CLI v2 prints it: ISO 8601 with an offset. */
    static Instant cliTime(JsonNode value) {
        return java.time.OffsetDateTime.parse(value.asText()).toInstant();
    }

    static JsonNode aliasEntry(JsonNode listAliases, String alias) {
        for (JsonNode a : listAliases.path("Aliases")) {
            if (alias.equals(a.path("AliasName").asText())) {
                return a;
            }
        }
        return null;
    }

    record CliResult(List<String> cmd, int exit, String stdout, String stderr) {
        @Override
        public String toString() {
            return String.join(" ", cmd) + "\nexit " + exit + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    /** Runs {@code aws kms …} for an account and parses its JSON output; fails unless it exits 0. */
    static JsonNode cli(String[] account, String... args) throws IOException {
        CliResult r = cliRaw(account, args);
        if (r.exit() != 0) {
            fail(r.toString());
        }
        return r.stdout().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.stdout());
    }

    /**
     * Runs the AWS CLI v2 with a clean environment: a throw-away HOME, the account's credentials, and
     * nothing of the machine's (no {@code AWS_CA_BUNDLE}, no profile).
     */
    static CliResult cliRaw(String[] account, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("kms"));
        cmd.addAll(List.of(args));
        return awsCli(home, proxy.managementEndpoint(), account, cmd.toArray(String[]::new));
    }

    /**
     * Runs the AWS CLI v2 against {@code endpoint} with an account's credentials ({@code account[1]},
     * {@code account[2]}) and a clean environment whose home is a fresh directory under {@code home}.
     */
    static CliResult awsCli(Path home, java.net.URI endpoint, String[] account, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(AWS, "--endpoint-url", endpoint.toString(),
                "--region", REGION, "--output", "json"));
        cmd.addAll(List.of(args));
        Path dir = Files.createTempDirectory(home, "run");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
        Map<String, String> env = new HashMap<>();
        env.put("PATH", "/usr/bin:/bin");
        env.put("LANG", "C.UTF-8");
        env.put("HOME", dir.toString());
        env.put("AWS_ACCESS_KEY_ID", account[1]);
        env.put("AWS_SECRET_ACCESS_KEY", account[2]);
        env.put("AWS_PAGER", "");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_CONFIG_FILE", dir.resolve("config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("credentials").toString());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("aws " + String.join(" ", args) + " timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return new CliResult(cmd, p.exitValue(), Files.readString(dir.resolve("out")), Files.readString(dir.resolve("err")));
    }
}
