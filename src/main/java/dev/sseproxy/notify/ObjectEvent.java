package dev.sseproxy.notify;

import java.time.Instant;

/**
 * One object event as the S3 edge saw it succeed.
 *
 * @param eventName    S3's name without {@code s3:}: {@code ObjectCreated:Put}, {@code ObjectRemoved:DeleteMarkerCreated}, ...
 * @param bucket       the bucket
 * @param bucketOwner  its owner's account id
 * @param key          the object key (decoded)
 * @param size         the object's plaintext size, or null when the event has none (removals) or it is unknown
 * @param eTag         the ETag the client saw, without quotes, or null
 * @param versionId    the version the request made or removed ({@code x-amz-version-id}), or null
 * @param time         when the request arrived
 * @param requestId    {@code x-amz-request-id}
 * @param hostId       {@code x-amz-id-2}
 * @param principalId  who made the request: {@code AWS:<user id>} for an IAM user, the account id for a root
 *                     key, {@code Anonymous} for an anonymous request
 * @param requester    the requester's account id (EventBridge's {@code requester}), or null
 * @param sourceIp     the client's address
 * @param operation    the S3 API operation ({@code PutObject}, ...): EventBridge's {@code reason}
 * @param replicationEventData S3's {@code replicationEventData} of a replication event ({@code replicationRuleId},
 *                     {@code destinationBucket}, {@code s3Operation}, {@code requestTime}, {@code failureReason},
 *                     {@code threshold}, {@code replicationTime}), or null for other events
 */
public record ObjectEvent(String eventName, String bucket, String bucketOwner, String key, Long size, String eTag,
        String versionId, Instant time, String requestId, String hostId, String principalId, String requester,
        String sourceIp, String operation, java.util.Map<String, Object> replicationEventData) {

    public ObjectEvent(String eventName, String bucket, String bucketOwner, String key, Long size, String eTag,
            String versionId, Instant time, String requestId, String hostId, String principalId, String requester,
            String sourceIp, String operation) {
        this(eventName, bucket, bucketOwner, key, size, eTag, versionId, time, requestId, hostId, principalId, requester,
                sourceIp, operation, null);
    }
}
