package dev.sseproxy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sseproxy.api.Dispatcher.Scope;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every route the proxy serves, with the IAM actions the S3 service authorization reference names for it. */
class IamActionsTest {
    @ParameterizedTest(name = "{0} {1} ?{2} (versionId {3}) needs {4}")
    @CsvSource(delimiter = '|', value = {
        // objects
        "OBJECT | GET    |                | false | s3:GetObject",
        "OBJECT | HEAD   |                | false | s3:GetObject",
        "OBJECT | GET    |                | true  | s3:GetObjectVersion",
        "OBJECT | PUT    |                | false | s3:PutObject",
        "OBJECT | PUT    | copy           | false | s3:PutObject",
        "OBJECT | DELETE |                | false | s3:DeleteObject",
        "OBJECT | DELETE |                | true  | s3:DeleteObjectVersion",
        "OBJECT | GET    | acl            | false | s3:GetObjectAcl",
        "OBJECT | GET    | acl            | true  | s3:GetObjectVersionAcl",
        "OBJECT | PUT    | acl            | false | s3:PutObjectAcl",
        "OBJECT | PUT    | acl            | true  | s3:PutObjectVersionAcl",
        "OBJECT | GET    | tagging        | false | s3:GetObjectTagging",
        "OBJECT | PUT    | tagging        | false | s3:PutObjectTagging",
        "OBJECT | PUT    | tagging        | true  | s3:PutObjectVersionTagging",
        "OBJECT | DELETE | tagging        | false | s3:DeleteObjectTagging",
        "OBJECT | GET    | attributes     | false | s3:GetObjectAttributes s3:GetObject",
        "OBJECT | HEAD   |                | true  | s3:GetObjectVersion",
        "OBJECT | GET    | tagging        | true  | s3:GetObjectVersionTagging",
        "OBJECT | DELETE | tagging        | true  | s3:DeleteObjectVersionTagging",
        "OBJECT | GET    | attributes     | true  | s3:GetObjectVersionAttributes s3:GetObjectVersion",
        "OBJECT | GET    | attributes     | true  | s3:GetObjectVersionAttributes s3:GetObjectVersion",
        "OBJECT | POST   | uploads        | false | s3:PutObject",
        "OBJECT | PUT    | uploadId       | false | s3:PutObject",
        "OBJECT | PUT    | uploadId+copy  | false | s3:PutObject",
        "OBJECT | POST   | uploadId       | false | s3:PutObject",
        "OBJECT | DELETE | uploadId       | false | s3:AbortMultipartUpload",
        "OBJECT | GET    | uploadId       | false | s3:ListMultipartUploadParts",
        "OBJECT | GET    | retention      | false | s3:GetObjectRetention",
        "OBJECT | GET    | retention      | true  | s3:GetObjectRetention",
        "OBJECT | PUT    | retention      | true  | s3:PutObjectRetention",
        "OBJECT | GET    | legal-hold     | false | s3:GetObjectLegalHold",
        "OBJECT | PUT    | legal-hold     | true  | s3:PutObjectLegalHold",
        // buckets
        "BUCKET | GET    |                | false | s3:ListBucket",
        "BUCKET | HEAD   |                | false | s3:ListBucket",
        "BUCKET | GET    | versions       | false | s3:ListBucketVersions",
        "BUCKET | GET    | uploads        | false | s3:ListBucketMultipartUploads",
        "BUCKET | POST   | delete         | false | ''",
        "BUCKET | POST   |                | false | s3:PutObject",
        "BUCKET | PUT    |                | false | s3:CreateBucket",
        "BUCKET | DELETE |                | false | s3:DeleteBucket",
        "BUCKET | GET    | acl            | false | s3:GetBucketAcl",
        "BUCKET | PUT    | acl            | false | s3:PutBucketAcl",
        "BUCKET | GET    | location       | false | s3:GetBucketLocation",
        "BUCKET | GET    | versioning     | false | s3:GetBucketVersioning",
        "BUCKET | PUT    | versioning     | false | s3:PutBucketVersioning",
        "BUCKET | GET    | object-lock    | false | s3:GetBucketObjectLockConfiguration",
        "BUCKET | PUT    | object-lock    | false | s3:PutBucketObjectLockConfiguration",
        "BUCKET | GET    | encryption     | false | s3:GetEncryptionConfiguration",
        "BUCKET | PUT    | encryption     | false | s3:PutEncryptionConfiguration",
        "BUCKET | DELETE | encryption     | false | s3:PutEncryptionConfiguration",
        "BUCKET | GET    | tagging        | false | s3:GetBucketTagging",
        "BUCKET | PUT    | tagging        | false | s3:PutBucketTagging",
        "BUCKET | DELETE | tagging        | false | s3:PutBucketTagging",
        "BUCKET | GET    | ownershipControls | false | s3:GetBucketOwnershipControls",
        "BUCKET | PUT    | ownershipControls | false | s3:PutBucketOwnershipControls",
        "BUCKET | DELETE | ownershipControls | false | s3:PutBucketOwnershipControls",
        "BUCKET | GET    | logging        | false | s3:GetBucketLogging",
        "BUCKET | PUT    | logging        | false | s3:PutBucketLogging",
        "BUCKET | GET    | inventory      | false | s3:GetInventoryConfiguration",
        "BUCKET | PUT    | inventory      | false | s3:PutInventoryConfiguration",
        "BUCKET | DELETE | inventory      | false | s3:PutInventoryConfiguration",
        "BUCKET | GET    | replication    | false | s3:GetReplicationConfiguration",
        "BUCKET | PUT    | replication    | false | s3:PutReplicationConfiguration",
        "BUCKET | DELETE | replication    | false | s3:PutReplicationConfiguration",
        "BUCKET | GET    | notification   | false | s3:GetBucketNotification",
        "BUCKET | PUT    | notification   | false | s3:PutBucketNotification",
        "BUCKET | GET    | policy         | false | s3:GetBucketPolicy",
        "BUCKET | PUT    | policy         | false | s3:PutBucketPolicy",
        "BUCKET | DELETE | policy         | false | s3:DeleteBucketPolicy",
        "BUCKET | GET    | policyStatus   | false | s3:GetBucketPolicyStatus",
        "BUCKET | GET    | publicAccessBlock | false | s3:GetBucketPublicAccessBlock",
        "BUCKET | PUT    | publicAccessBlock | false | s3:PutBucketPublicAccessBlock",
        "BUCKET | DELETE | publicAccessBlock | false | s3:PutBucketPublicAccessBlock",
        "BUCKET | GET    | lifecycle      | false | s3:GetLifecycle",
        // service and S3 Control
        "SERVICE | GET   |                | false | s3:ListAllMyBuckets",
        "SERVICE | GET   | /v20180820/configuration/publicAccessBlock | false | s3:GetAccountPublicAccessBlock",
        "SERVICE | PUT   | /v20180820/configuration/publicAccessBlock | false | s3:PutAccountPublicAccessBlock",
        "SERVICE | DELETE | /v20180820/configuration/publicAccessBlock | false | s3:PutAccountPublicAccessBlock",
        "SERVICE | POST  | /v20180820/jobs | false | s3:CreateJob",
        "SERVICE | GET   | /v20180820/jobs | false | s3:ListJobs",
        "SERVICE | GET   | /v20180820/jobs/{id} | false | s3:DescribeJob",
        "SERVICE | POST  | /v20180820/jobs/{id}/priority | false | s3:UpdateJobPriority",
        "SERVICE | POST  | /v20180820/jobs/{id}/status | false | s3:UpdateJobStatus",
    })
    void routeNeedsItsActions(Scope scope, String method, String sub, boolean versioned, String expected) {
        List<String> want = expected == null || expected.isBlank() ? List.of() : List.of(expected.split(" "));
        assertEquals(want, IamActions.all(scope, method, sub == null ? "" : sub, versioned));
    }
}
