package dev.sseproxy.api.aws;

import dev.sseproxy.api.JsonApis;
import java.util.Locale;

/**
 * Which AWS service a request is for (rules 1 and 4 of the package documentation): pure functions of
 * the {@code Authorization} header, the raw query and {@code X-Amz-Target}. Linear in their lengths, no
 * regular expressions, never throws.
 */
final class ServiceScope {
    static final String S3 = "s3";
    private static final String KMS_TARGET = "TrentService.";

    /** How an unknown service's error is written: JSON 1.1, query XML, or (null) left to S3. */
    enum Protocol { JSON, QUERY }

    private ServiceScope() {
    }

    /** The service the request is for ({@code s3} when nothing says otherwise), lower case. */
    static String service(String authorization, String rawQuery, String target) {
        String scoped = fromAuthorization(authorization);
        if (scoped == null) {
            scoped = fromQuery(rawQuery);
        }
        if (scoped != null) {
            return scoped;
        }
        if (target != null) {
            if (target.startsWith(KMS_TARGET)) {
                return "kms";
            }
            if (target.startsWith(JsonApis.CLOUDTRAIL_TARGET_PREFIX)) {
                return "cloudtrail";
            }
        }
        return S3;
    }

    /** The service of a SigV4 (or SigV4a) {@code Authorization} header's credential, or null. */
    static String fromAuthorization(String authorization) {
        if (authorization == null || !authorization.startsWith("AWS4-")) {
            return null;
        }
        int at = authorization.indexOf("Credential=");
        if (at < 0) {
            return null;
        }
        int from = at + "Credential=".length();
        int to = from;
        while (to < authorization.length() && authorization.charAt(to) != ',' && authorization.charAt(to) != ' ') {
            to++;
        }
        return serviceOfScope(authorization.substring(from, to));
    }

    /** The service of a presigned URL's {@code X-Amz-Credential} (raw query, {@code %2F} read as {@code /}), or null. */
    static String fromQuery(String rawQuery) {
        if (rawQuery == null) {
            return null;
        }
        String name = "X-Amz-Credential=";
        int at = rawQuery.startsWith(name) ? 0 : rawQuery.indexOf("&" + name);
        if (at < 0) {
            return null;
        }
        int from = at == 0 ? name.length() : at + 1 + name.length();
        int to = rawQuery.indexOf('&', from);
        String value = rawQuery.substring(from, to < 0 ? rawQuery.length() : to);
        return serviceOfScope(value.replace("%2F", "/").replace("%2f", "/"));
    }

    /** {@code AKID/date/region/service/aws4_request} or {@code AKID/date/service/aws4_request}: the service. */
    static String serviceOfScope(String credential) {
        int last = credential.lastIndexOf('/');
        if (last <= 0 || !credential.substring(last + 1).equals("aws4_request")) {
            return null;
        }
        int before = credential.lastIndexOf('/', last - 1);
        if (before < 0 || before + 1 == last) {
            return null;
        }
        String service = credential.substring(before + 1, last).toLowerCase(Locale.ROOT);
        return credential.indexOf('/') < before ? service : null;
    }

    /** The protocol whose error an unknown service gets, or null (a REST-style request: left to S3). */
    static Protocol protocolOf(String target, String contentType, String rawQuery) {
        String ct = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (target != null || ct.startsWith("application/x-amz-json")) {
            return Protocol.JSON;
        }
        if (ct.startsWith("application/x-www-form-urlencoded") || rawQuery != null
                && (rawQuery.startsWith("Action=") || rawQuery.contains("&Action="))) {
            return Protocol.QUERY;
        }
        return null;
    }
}
