package dev.sseproxy.api;

import dev.sseproxy.backend.BackendCall;
import dev.sseproxy.backend.BackendException;
import dev.sseproxy.backend.ObjectStore;
import dev.sseproxy.error.S3ErrorCode;
import dev.sseproxy.error.S3Exception;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * S3 Object Lock at the edge. MinIO keeps and enforces the locks: a bucket created with
 * {@code x-amz-bucket-object-lock-enabled} is a MinIO bucket with Object Lock (versioning on), the lock
 * headers of a write travel with the encrypted PUT, so the <em>ciphertext</em> version in MinIO is what
 * is locked, and MinIO refuses to delete or overwrite a locked version whoever asks (the proxy's own
 * internal paths included). The proxy answers S3's API around it: it validates the lock parameters of
 * a write with S3's errors before any byte is encrypted, asks the backend whether the bucket has Object
 * Lock only when a request carries lock parameters (a bucket or request without them pays nothing), adds
 * the IAM checks S3 makes ({@code s3:PutObjectRetention} / {@code s3:PutObjectLegalHold} for lock
 * headers on a write, {@code s3:BypassGovernanceRetention} for the governance bypass) and translates
 * MinIO's refusals into S3's (see {@link ErrorTranslator}).
 *
 * <p>Write parameters, as S3 checks them (before the bucket's lock is looked at):
 * {@code x-amz-object-lock-mode} {@code GOVERNANCE | COMPLIANCE} and
 * {@code x-amz-object-lock-retain-until-date} (ISO 8601, in the future) together or not at all, and
 * {@code x-amz-object-lock-legal-hold} {@code ON | OFF}; each fault is 400 {@code InvalidArgument} with
 * the header as {@code ArgumentName}. Then a bucket without Object Lock is 400 {@code InvalidRequest}
 * "Bucket is missing Object Lock Configuration", and a PutObject with lock parameters needs
 * {@code Content-MD5} or an {@code x-amz-checksum-*} header or trailer (400 {@code InvalidRequest}) and a
 * signature (an anonymous one: 400 {@code InvalidArgument}, "Put Object requests with Object Lock parameters
 * require AWS Signature Version 4"). Not checked (each would cost every PUT a lookup): S3's integrity rule for
 * a PUT that gets the bucket's <em>default</em> retention, and for UploadPart of an upload with lock parameters.
 *
 * <p>The governance bypass ({@code x-amz-bypass-governance-retention: true}) is passed to MinIO only
 * when the requester has {@code s3:BypassGovernanceRetention} on the object; without it the request
 * goes on as if the header were absent, so a version under governance stays protected (403
 * {@code AccessDenied} "Access Denied because object protected by object lock."). On a bucket without
 * Object Lock the header is 400 {@code InvalidArgument}, as S3 answers.
 */
@ApplicationScoped
class ObjectLocks {
    static final String MODE = "x-amz-object-lock-mode";
    static final String UNTIL = "x-amz-object-lock-retain-until-date";
    static final String HOLD = "x-amz-object-lock-legal-hold";
    static final String BYPASS = "x-amz-bypass-governance-retention";
    /** The object headers of a lock, as stored with a version and returned on GET / HEAD. */
    static final List<String> HEADERS = List.of(MODE, UNTIL, HOLD);
    static final String LOCKED = "Access Denied because object protected by object lock.";
    static final String MISSING = "Bucket is missing Object Lock Configuration";
    /** How dates go to the backend and back to clients. */
    static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final ObjectStore store;
    private final Authorization authorization;
    private final Clock clock;

    @jakarta.inject.Inject
    ObjectLocks(ObjectStore store, Authorization authorization) {
        this(store, authorization, Clock.systemUTC());
    }

    ObjectLocks(ObjectStore store, Authorization authorization, Clock clock) {
        this.store = store;
        this.authorization = authorization;
        this.clock = clock;
    }

    /** A write's lock parameters, validated; all null when it has none. */
    record WriteLock(String mode, Instant until, String legalHold) {
        boolean isEmpty() {
            return mode == null && legalHold == null;
        }

        /** Adds the parameters to the headers of the backend write. */
        void copyTo(MultiMap to) {
            if (mode != null) {
                to.set(MODE, mode).set(UNTIL, ISO.format(until));
            }
            if (legalHold != null) {
                to.set(HOLD, legalHold);
            }
        }
    }

    /** The lock parameters of a write (headers, or a POST form's fields), with S3's InvalidArgument faults. */
    static WriteLock parse(Function<String, String> h, Instant now) {
        String mode = h.apply(MODE);
        String until = h.apply(UNTIL);
        String hold = h.apply(HOLD);
        if (hold != null && !"ON".equals(hold) && !"OFF".equals(hold)) {
            throw S3Exception.invalidArgument("Legal Hold must be either of 'ON' or 'OFF'", HOLD, hold);
        }
        if (mode == null && until == null) {
            return new WriteLock(null, null, hold);
        }
        if (mode == null || until == null) {
            throw S3Exception.invalidArgument(UNTIL + " and " + MODE + " must both be supplied",
                    mode == null ? MODE : UNTIL, null);
        }
        if (!"GOVERNANCE".equals(mode) && !"COMPLIANCE".equals(mode)) {
            throw S3Exception.invalidArgument("Unknown wormMode directive.", MODE, mode);
        }
        Instant date = date(until);
        if (date == null) {
            throw S3Exception.invalidArgument("The retain until date must be provided in ISO 8601 format", UNTIL, until);
        }
        if (!date.isAfter(now)) {
            throw S3Exception.invalidArgument("The retain until date must be in the future!", UNTIL, until);
        }
        return new WriteLock(mode, date, hold);
    }

    /** An ISO 8601 timestamp with an offset ({@code Z} or {@code +hh:mm}); null when it is not one. */
    static Instant date(String text) {
        try {
            return OffsetDateTime.parse(text.trim(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * Checks the lock parameters of a write in {@code h} and adds them to {@code stored} (the headers of
     * the encrypted backend write). {@code integrityRequired}: PutObject's rule that a write with lock
     * parameters carries Content-MD5 or a checksum. A write without lock parameters costs nothing here.
     */
    Uni<Void> prepareWrite(S3Exchange ex, Function<String, String> h, MultiMap stored, boolean integrityRequired) {
        WriteLock lock = parse(h, clock.instant());
        if (lock.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        if (integrityRequired && ex.principal() == null) {
            throw S3Exception.invalidArgument("Put Object requests with Object Lock parameters require AWS Signature "
                    + "Version 4", "Authorization", null);
        }
        return requireEnabled(ex.bucket()).chain(() -> {
            if (integrityRequired && !hasIntegrity(ex)) {
                throw S3Exception.invalidRequest("Content-MD5 OR x-amz-checksum- HTTP header is required for Put "
                        + "Object requests with Object Lock parameters");
            }
            lock.copyTo(stored);
            if (ex.principal() == null) {
                return Uni.createFrom().voidItem();
            }
            Uni<Void> allowed = Uni.createFrom().voidItem();
            if (lock.mode() != null) {
                allowed = allowed.chain(() -> require(ex, "s3:PutObjectRetention"));
            }
            if (lock.legalHold() != null) {
                allowed = allowed.chain(() -> require(ex, "s3:PutObjectLegalHold"));
            }
            return allowed;
        });
    }

    private Uni<Void> require(S3Exchange ex, String action) {
        return authorization.require(ex, Authorization.principal(ex), action, ex.bucketRecord(), ex.key()).replaceWithVoid();
    }

    /**
     * GetObject and HeadObject return a version's retention headers only to a requester with
     * {@code s3:GetObjectRetention}, its legal hold only with {@code s3:GetObjectLegalHold} (as S3 does):
     * removes from the backend's answer {@code headers} what the requester may not see. A version without
     * a lock costs nothing here.
     */
    Uni<Void> hideUnlessAllowed(S3Exchange ex, MultiMap headers) {
        Uni<Void> done = Uni.createFrom().voidItem();
        if (headers.contains(MODE) || headers.contains(UNTIL)) {
            done = done.chain(() -> allowed(ex, "s3:GetObjectRetention").invoke(ok -> {
                if (!ok) {
                    headers.remove(MODE).remove(UNTIL);
                }
            })).replaceWithVoid();
        }
        if (headers.contains(HOLD)) {
            done = done.chain(() -> allowed(ex, "s3:GetObjectLegalHold").invoke(ok -> {
                if (!ok) {
                    headers.remove(HOLD);
                }
            })).replaceWithVoid();
        }
        return done;
    }

    private Uni<Boolean> allowed(S3Exchange ex, String action) {
        return authorization.require(ex, Authorization.principal(ex), action, ex.bucketRecord(), ex.key()).map(e -> true)
                .onFailure(e -> e instanceof S3Exception se && se.code() == S3ErrorCode.ACCESS_DENIED).recoverWithItem(false);
    }

    /** Content-MD5, an {@code x-amz-checksum-*} header, or a checksum trailer. */
    static boolean hasIntegrity(S3Exchange ex) {
        if (ex.header("content-md5") != null) {
            return true;
        }
        String trailer = ex.header("x-amz-trailer");
        if (trailer != null && trailer.toLowerCase(Locale.ROOT).contains("x-amz-checksum-")) {
            return true;
        }
        return ex.request().headers().names().stream().anyMatch(n -> {
            String l = n.toLowerCase(Locale.ROOT);
            return l.startsWith("x-amz-checksum-") && !l.equals("x-amz-checksum-algorithm")
                    && !l.equals("x-amz-checksum-type") && !l.equals("x-amz-checksum-mode");
        });
    }

    /** Whether the backend bucket has Object Lock: one backend call, made only for requests about locks. */
    Uni<Boolean> enabled(String bucket) {
        return store.exchange(BackendCall.of("GET", bucket, null).query("object-lock", ""))
                .map(r -> true)
                .onFailure(e -> e instanceof BackendException.Rejected r && r.status() == 404
                        && !"NoSuchBucket".equals(r.code()))
                .recoverWithItem(false);
    }

    /** Fails with S3's 400 InvalidRequest "Bucket is missing Object Lock Configuration" unless it has Object Lock. */
    Uni<Void> requireEnabled(String bucket) {
        return enabled(bucket).invoke(on -> {
            if (!on) {
                throw S3Exception.invalidRequest(MISSING);
            }
        }).replaceWithVoid();
    }

    /**
     * Whether to pass {@code x-amz-bypass-governance-retention: true} on to the backend for this request
     * about {@code keys}: the header says {@code true} and the requester has
     * {@code s3:BypassGovernanceRetention} on every key. No header: false, without any call.
     */
    Uni<Boolean> bypass(S3Exchange ex, List<String> keys) {
        String value = ex.header(BYPASS);
        if (value == null) {
            return Uni.createFrom().item(false);
        }
        return enabled(ex.bucket()).chain(on -> {
            if (!on) {
                throw S3Exception.invalidArgument(BYPASS + " is only applicable to Object Lock enabled buckets.",
                        BYPASS, value);
            }
            if (!"true".equalsIgnoreCase(value.trim())) {
                return Uni.createFrom().item(false);
            }
            var who = Authorization.principal(ex);
            return io.smallrye.mutiny.Multi.createFrom().iterable(keys)
                    .onItem().transformToUniAndConcatenate(k -> authorization.require(ex, who,
                            "s3:BypassGovernanceRetention", ex.bucketRecord(), k).map(e -> true)
                            .onFailure(e -> e instanceof S3Exception se && se.code() == S3ErrorCode.ACCESS_DENIED)
                            .recoverWithItem(false))
                    .collect().asList().map(all -> !all.contains(false));
        });
    }

    /** A small XML document for the backend, with the Content-MD5 MinIO requires of lock documents. */
    static BackendCall withDocument(BackendCall call, byte[] xml) {
        return call.header("content-md5", DeleteObjectsOperation.md5(xml)).header("content-type", "application/xml")
                .withBody(BackendCall.Body.of(Buffer.buffer(xml)));
    }
}
