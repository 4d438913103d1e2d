package dev.sseproxy.api;

import dev.sseproxy.api.Dispatcher.Route;
import dev.sseproxy.api.Dispatcher.RoutedOperation;
import dev.sseproxy.api.Dispatcher.Scope;
import dev.sseproxy.api.xml.ObjectLockDocuments.DefaultRetentionXml;
import dev.sseproxy.api.xml.ObjectLockDocuments.LegalHoldXml;
import dev.sseproxy.api.xml.ObjectLockDocuments.ObjectLockConfigurationXml;
import dev.sseproxy.api.xml.ObjectLockDocuments.RetentionXml;
import dev.sseproxy.api.xml.ObjectLockDocuments.RuleXml;
import dev.sseproxy.api.xml.S3Xml;
import dev.sseproxy.backend.BackendCall;
import dev.sseproxy.backend.BackendException;
import dev.sseproxy.backend.ObjectStore;
import dev.sseproxy.error.S3ErrorCode;
import dev.sseproxy.error.S3Exception;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The Object Lock subresources, each passed to MinIO's own Object Lock after S3's validation (see
 * {@link ObjectLocks}): Get/PutObjectLockConfiguration ({@code ?object-lock} of a bucket),
 * Get/PutObjectRetention ({@code ?retention}) and Get/PutObjectLegalHold ({@code ?legal-hold}) of an
 * object version ({@code versionId}, else the latest). Documents are re-written in S3's form both ways,
 * with the Content-MD5 MinIO requires; the PUTs need Content-MD5 or a checksum from the client as S3 does.
 *
 * <p>Enabling Object Lock on an existing bucket: S3 allows it since 2023 when versioning is Enabled;
 * MinIO cannot (a MinIO bucket gets Object Lock only when created with it). sse-proxy answers 409
 * {@code InvalidBucketState} "Versioning must be 'Enabled' on the bucket to apply a Object Lock
 * configuration" when versioning is not Enabled, and 409 {@code InvalidBucketState} "Object Lock
 * configuration cannot be enabled on existing buckets" when it is (S3's answer before 2023).
 */
final class ObjectLockOperations {
    private ObjectLockOperations() {
    }

    static void requireIntegrity(S3Exchange ex) {
        if (!ObjectLocks.hasIntegrity(ex)) {
            throw S3Exception.invalidRequest("Missing required header for this request: Content-Md5.");
        }
    }

    private static BackendCall objectCall(S3Exchange ex, String method, String sub) {
        BackendCall call = BackendCall.of(method, ex.bucket(), ex.key()).query(sub, "");
        String v = ex.queryParam("versionId");
        if (v != null) {
            call.query("versionId", v);
        }
        return call;
    }

    @ApplicationScoped
    static class LockConfiguration implements RoutedOperation {
        static final int MAX_DAYS = 36500;
        static final int MAX_YEARS = 100;
        private final ObjectStore store;
        private final ObjectLocks locks;

        LockConfiguration(ObjectStore store, ObjectLocks locks) {
            this.store = store;
            this.locks = locks;
        }

        public String name() {
            return "ObjectLockConfiguration";
        }

        @Override
        public String name(String method) {
            return "GET".equals(method) ? "GetObjectLockConfiguration" : "PutObjectLockConfiguration";
        }

        public List<Route> routes() {
            return List.of(new Route(Scope.BUCKET, "GET", "object-lock"), new Route(Scope.BUCKET, "PUT", "object-lock"));
        }

        public Uni<Void> handle(S3Exchange ex) {
            if ("GET".equals(ex.method())) {
                return store.exchange(BackendCall.of("GET", ex.bucket(), null).query("object-lock", ""))
                        .onFailure(e -> e instanceof BackendException.Rejected r && r.status() == 404
                                && !"NoSuchBucket".equals(r.code()))
                        .transform(e -> S3Exception.of(S3ErrorCode.OBJECT_LOCK_CONFIGURATION_NOT_FOUND)
                                .withDetail("BucketName", ex.bucket()))
                        .chain(r -> Responses.xml(ex, 200, S3Xml.read(r.body().getBytes(), ObjectLockConfigurationXml.class)));
            }
            requireIntegrity(ex);
            return SmallBody.read(ex).chain(body -> {
                if (body.length == 0) {
                    throw S3Exception.of(S3ErrorCode.MISSING_REQUEST_BODY);
                }
                ObjectLockConfigurationXml doc = parse(body);
                return locks.enabled(ex.bucket()).chain(on -> on ? Uni.createFrom().voidItem() : refuseExisting(ex))
                        .chain(() -> store.exchange(ObjectLocks.withDocument(
                                BackendCall.of("PUT", ex.bucket(), null).query("object-lock", ""), S3Xml.write(doc))));
            }).chain(r -> Responses.empty(ex, 200));
        }

        /** A bucket created without Object Lock: S3's answer by its versioning (see the class documentation). */
        private Uni<Void> refuseExisting(S3Exchange ex) {
            return store.exchange(BackendCall.of("GET", ex.bucket(), null).query("versioning", "")).map(r -> {
                String xml = r.body().toString(java.nio.charset.StandardCharsets.UTF_8);
                boolean enabled = xml.contains("<Status>Enabled</Status>");
                throw S3Exception.of(S3ErrorCode.INVALID_BUCKET_STATE, enabled
                        ? "Object Lock configuration cannot be enabled on existing buckets"
                        : "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration");
            });
        }

        /** S3's checks: MalformedXML for the shape, InvalidArgument for a period out of range. */
        static ObjectLockConfigurationXml parse(byte[] body) {
            ObjectLockConfigurationXml in = S3Xml.read(body, ObjectLockConfigurationXml.class);
            if (!"Enabled".equals(in.objectLockEnabled)) {
                throw S3Exception.malformedXml();
            }
            ObjectLockConfigurationXml out = new ObjectLockConfigurationXml();
            out.objectLockEnabled = "Enabled";
            if (in.rule == null) {
                return out;
            }
            DefaultRetentionXml d = in.rule.defaultRetention;
            if (d == null || !("GOVERNANCE".equals(d.mode) || "COMPLIANCE".equals(d.mode))
                    || (d.days == null) == (d.years == null)) {
                throw S3Exception.malformedXml();
            }
            DefaultRetentionXml r = new DefaultRetentionXml();
            r.mode = d.mode;
            if (d.days != null) {
                r.days = Integer.toString(period("Days", d.days, MAX_DAYS));
            } else {
                r.years = Integer.toString(period("Years", d.years, MAX_YEARS));
            }
            out.rule = new RuleXml();
            out.rule.defaultRetention = r;
            return out;
        }

        private static int period(String name, String text, int max) {
            long v;
            try {
                v = Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                throw S3Exception.malformedXml();
            }
            if (v <= 0) {
                throw S3Exception.invalidArgument("Default retention period must be a positive integer value.", name, text);
            }
            if (v > max) {
                throw S3Exception.invalidArgument("Default retention period too large.", name, text);
            }
            return (int) v;
        }
    }

    @ApplicationScoped
    static class Retention implements RoutedOperation {
        private final ObjectStore store;
        private final ObjectLocks locks;
        private final Clock clock = Clock.systemUTC();

        Retention(ObjectStore store, ObjectLocks locks) {
            this.store = store;
            this.locks = locks;
        }

        public String name() {
            return "ObjectRetention";
        }

        @Override
        public String name(String method) {
            return "GET".equals(method) ? "GetObjectRetention" : "PutObjectRetention";
        }

        public List<Route> routes() {
            return List.of(new Route(Scope.OBJECT, "GET", "retention"), new Route(Scope.OBJECT, "PUT", "retention"));
        }

        public Uni<Void> handle(S3Exchange ex) {
            if ("GET".equals(ex.method())) {
                return store.exchange(objectCall(ex, "GET", "retention")).chain(r -> {
                    RetentionXml in = S3Xml.read(r.body().getBytes(), RetentionXml.class);
                    if (in.mode == null || in.mode.isEmpty()) {
                        throw S3Exception.of(S3ErrorCode.NO_SUCH_OBJECT_LOCK_CONFIGURATION);
                    }
                    RetentionXml out = new RetentionXml();
                    out.mode = in.mode;
                    Instant until = in.retainUntilDate == null ? null : ObjectLocks.date(in.retainUntilDate);
                    out.retainUntilDate = until == null ? in.retainUntilDate : ObjectLocks.ISO.format(until);
                    return Responses.xml(ex, 200, out);
                });
            }
            requireIntegrity(ex);
            return SmallBody.read(ex).chain(body -> {
                RetentionXml doc = parse(body, clock.instant());
                return locks.bypass(ex, List.of(ex.key())).chain(bypass -> {
                    BackendCall call = ObjectLocks.withDocument(objectCall(ex, "PUT", "retention"), S3Xml.write(doc));
                    if (bypass) {
                        call.header(ObjectLocks.BYPASS, "true");
                    }
                    return store.exchange(call);
                });
            }).chain(r -> Responses.empty(ex, 200));
        }

        /**
         * S3's checks: a mode without a date (or the reverse) or an unknown mode is MalformedXML, a past date
         * InvalidArgument. An empty {@code Retention} removes a governance retention (with the bypass).
         */
        static RetentionXml parse(byte[] body, Instant now) {
            RetentionXml in = S3Xml.read(body, RetentionXml.class);
            RetentionXml out = new RetentionXml();
            if (in.mode == null && in.retainUntilDate == null) {
                return out;
            }
            if (in.mode == null || in.retainUntilDate == null
                    || !("GOVERNANCE".equals(in.mode) || "COMPLIANCE".equals(in.mode))) {
                throw S3Exception.malformedXml();
            }
            Instant until = ObjectLocks.date(in.retainUntilDate);
            if (until == null) {
                throw S3Exception.malformedXml();
            }
            if (!until.isAfter(now)) {
                throw S3Exception.invalidArgument("The retain until date must be in the future!", "RetainUntilDate",
                        in.retainUntilDate);
            }
            out.mode = in.mode;
            out.retainUntilDate = ObjectLocks.ISO.format(until);
            return out;
        }
    }

    @ApplicationScoped
    static class LegalHold implements RoutedOperation {
        private final ObjectStore store;

        LegalHold(ObjectStore store) {
            this.store = store;
        }

        public String name() {
            return "ObjectLegalHold";
        }

        @Override
        public String name(String method) {
            return "GET".equals(method) ? "GetObjectLegalHold" : "PutObjectLegalHold";
        }

        public List<Route> routes() {
            return List.of(new Route(Scope.OBJECT, "GET", "legal-hold"), new Route(Scope.OBJECT, "PUT", "legal-hold"));
        }

        public Uni<Void> handle(S3Exchange ex) {
            if ("GET".equals(ex.method())) {
                return store.exchange(objectCall(ex, "GET", "legal-hold")).chain(r -> {
                    LegalHoldXml in = S3Xml.read(r.body().getBytes(), LegalHoldXml.class);
                    if (!"ON".equals(in.status) && !"OFF".equals(in.status)) {
                        throw S3Exception.of(S3ErrorCode.NO_SUCH_OBJECT_LOCK_CONFIGURATION);
                    }
                    LegalHoldXml out = new LegalHoldXml();
                    out.status = in.status;
                    return Responses.xml(ex, 200, out);
                });
            }
            requireIntegrity(ex);
            return SmallBody.read(ex).chain(body -> {
                LegalHoldXml in = S3Xml.read(body, LegalHoldXml.class);
                if (!"ON".equals(in.status) && !"OFF".equals(in.status)) {
                    throw S3Exception.malformedXml();
                }
                LegalHoldXml out = new LegalHoldXml();
                out.status = in.status;
                return store.exchange(ObjectLocks.withDocument(objectCall(ex, "PUT", "legal-hold"), S3Xml.write(out)));
            }).chain(r -> Responses.empty(ex, 200));
        }
    }
}
