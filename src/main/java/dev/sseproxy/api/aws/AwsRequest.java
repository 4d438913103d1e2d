package dev.sseproxy.api.aws;

import dev.sseproxy.auth.SignedRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A non-S3 AWS request as the client sent and signed it, carried from {@link AwsDispatch} across the
 * re-route to its Quarkus REST resource in the routing context under {@link #KEY}: the service, the
 * original method, raw path, raw query and headers ({@link #signed()}), the whole body (at most
 * {@link AwsDispatch#MAX_BODY}). It also holds the request's place in the unauthenticated admission limit
 * ({@link #authenticated()} gives it back) and its bytes of the buffered-body budget ({@link #done()}
 * gives back both); each is given back once, and both at the latest when the response ends.
 */
public final class AwsRequest {
    /** The routing-context key of the dispatched request (its presence means "already dispatched"). */
    public static final String KEY = "sse-proxy.aws.request";

    private final String service;
    private final SignedRequest signed;
    private final byte[] body;
    private final Runnable leaveAdmission;
    private final Runnable releaseBody;
    private final AtomicBoolean admitted = new AtomicBoolean(true);
    private final AtomicBoolean holding = new AtomicBoolean(true);

    AwsRequest(String service, SignedRequest signed, byte[] body, Runnable leaveAdmission, Runnable releaseBody) {
        this.service = service;
        this.signed = signed;
        this.body = body;
        this.leaveAdmission = leaveAdmission;
        this.releaseBody = releaseBody;
    }

    /** The dispatched request of this routing context, or null when it did not come through {@link AwsDispatch}. */
    public static AwsRequest of(RoutingContext rc) {
        return rc.get(KEY);
    }

    /** The credential scope's service (or the one {@code X-Amz-Target} named): kms, cloudtrail, iam, sts. */
    public String service() {
        return service;
    }

    /** The request as signed: original method, raw path, raw query, headers. */
    public SignedRequest signed() {
        return signed;
    }

    /** The original method. */
    public String method() {
        return signed.method();
    }

    public byte[] body() {
        return body;
    }

    /** A header of the original request (lower-cased name), or null. */
    public String header(String name) {
        return signed.header(name).orElse(null);
    }

    /** The signature has been checked (or refused): the place in the admission limit is given back. */
    public void authenticated() {
        if (admitted.compareAndSet(true, false)) {
            leaveAdmission.run();
        }
    }

    /** The answer is computed: the admission place and the body's budget are given back. */
    public void done() {
        authenticated();
        if (holding.compareAndSet(true, false)) {
            releaseBody.run();
        }
    }
}
