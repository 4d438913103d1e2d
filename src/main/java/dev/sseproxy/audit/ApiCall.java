package dev.sseproxy.audit;

import java.time.Instant;
import java.util.Map;

/**
 * One call of an AWS-shaped query API on the S3 port (IAM, STS), as CloudTrail records it
 * ({@link CloudTrailRecords#api}). Holds no secret: {@code requestParameters} are the call's
 * parameters without {@code Action}/{@code Version}, and never a secret access key (CreateAccessKey's
 * answer is not recorded).
 *
 * @param eventSource {@code iam.amazonaws.com} or {@code sts.amazonaws.com}
 * @param eventName   the action ({@code CreateUser}, {@code GetCallerIdentity}, ...)
 * @param accountId   the caller's account (null: the call was not authenticated)
 * @param userName    the caller's IAM user, null for a root key
 * @param userArn     that user's ARN
 * @param userId      that user's id ({@code AIDA...})
 * @param errorCode   the error sent, else null
 */
public record ApiCall(String eventSource, String eventName, Instant time, String accountId, String accessKeyId,
        String userName, String userArn, String userId, String sourceIp, String userAgent, String requestId,
        String errorCode, String errorMessage, Map<String, String> requestParameters) {

    public static final String IAM_SOURCE = "iam.amazonaws.com";
    public static final String STS_SOURCE = "sts.amazonaws.com";

    public ApiCall {
        requestParameters = requestParameters == null ? Map.of() : Map.copyOf(requestParameters);
    }

    /** IAM's read-only actions: Get* and List*; STS GetCallerIdentity. */
    public boolean readOnly() {
        return eventName.startsWith("Get") || eventName.startsWith("List");
    }
}
