package dev.sseproxy.api;

import dev.sseproxy.authz.Principal;
import dev.sseproxy.error.S3Exception;
import dev.sseproxy.observability.CompletedRequest;
import dev.sseproxy.sse.EncryptionPolicy;
import dev.sseproxy.sse.InternalWrites.Actor;
import dev.sseproxy.sse.SseHeaders;
import io.vertx.core.MultiMap;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the CloudTrail event of one call records (as {@link CompletedRequests} does for a client's). */
final class InternalCallRecord {
    final String requestId = RequestIds.next();
    final Instant time = Instant.now();
    final long start = System.nanoTime();
    final String operation;
    final String method;
    final String bucket;
    final String key;
    final String accountId;
    final String userName;
    final String userArn;
    String userId;
    final String invokedBy;
    final String userAgent;
    final String sourceIp;
    final Map<String, String> requestHeaders = new LinkedHashMap<>();
    final Map<String, String> query = new LinkedHashMap<>();
    final Map<String, String> responseHeaders = new LinkedHashMap<>();
    String bucketOwner;
    String sseApplied;
    long bytesIn;

    InternalCallRecord(String operation, String method, String bucket, String key, String accountId, String userName,
            String userArn, String userId, String invokedBy, String userAgent, String sourceIp) {
        this.operation = operation;
        this.method = method;
        this.bucket = bucket;
        this.key = key;
        this.accountId = accountId;
        this.userName = userName;
        this.userArn = userArn;
        this.userId = userId;
        this.invokedBy = invokedBy;
        this.userAgent = userAgent;
        this.sourceIp = sourceIp;
    }

    static InternalCallRecord of(String operation, String method, String bucket, String key, Actor actor) {
        Principal p = actor.principal();
        boolean user = p != null && p.userName() != null;
        String via = actor.invokedBy();
        return new InternalCallRecord(operation, method, bucket, key, p == null ? null : p.accountId(),
                user ? p.userName() : null, user ? p.arn() : null, null, via, actor.userAgent(),
                via != null ? via : "127.0.0.1");
    }

    void sse(SseHeaders h) {
        MultiMap m = MultiMap.caseInsensitiveMultiMap();
        SseChecks.putSseHeaders(m, h == null ? null : h.withoutContext());
        for (String n : List.of(EncryptionPolicy.S, EncryptionPolicy.K, EncryptionPolicy.B)) {
            if (m.get(n) != null) {
                responseHeaders.put(n, m.get(n));
            }
        }
    }

    CompletedRequest toCompleted(S3Exception error) {
        int status = error == null ? 200 : error.code().status();
        return new CompletedRequest(requestId, RequestIds.hostId(requestId), time, System.nanoTime() - start,
                operation, "object", method, bucket, key, bucketOwner, accountId, null, false, sourceIp, userAgent,
                null, null, null, status, error == null ? null : error.code().code(),
                error == null ? null : error.getMessage(), true, bytesIn, 0, Map.copyOf(requestHeaders),
                Map.copyOf(query), Map.copyOf(responseHeaders), sseApplied,
                CompletedRequests.sseMode(responseHeaders), Map.of(), userName, userArn, userId, invokedBy);
    }
}
