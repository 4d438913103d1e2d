package dev.sseproxy.api;

import dev.sseproxy.auth.SignedRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the AWS JSON 1.1 APIs on the management port share: they all answer {@code POST /} and are
 * told apart by {@code X-Amz-Target} (KMS: {@code TrentService.*}; CloudTrail: the prefix below).
 */
public final class JsonApis {
    public static final String CLOUDTRAIL_TARGET_PREFIX = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.";
    public static final String CONTENT_TYPE = "application/x-amz-json-1.1";

    private JsonApis() {
    }

    /** The request as SigV4 sees it (header names lower-cased). */
    public static SignedRequest signedRequest(RoutingContext rc) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        rc.request().headers().forEach(h -> headers.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT),
                k -> new ArrayList<>()).add(h.getValue()));
        return new SignedRequest(rc.request().method().name(), rc.request().path(), rc.request().query(), headers);
    }
}
