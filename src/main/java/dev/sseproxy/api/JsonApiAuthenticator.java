package dev.sseproxy.api;

import dev.sseproxy.auth.AuthException;
import dev.sseproxy.auth.AuthInfo;
import dev.sseproxy.auth.SigV4;
import dev.sseproxy.auth.SigV4Verifier;
import dev.sseproxy.auth.SignedRequest;
import dev.sseproxy.catalog.AccountService;
import dev.sseproxy.catalog.Credential;
import dev.sseproxy.config.SseProxyConfig;
import io.smallrye.mutiny.Uni;
import java.time.Clock;

/**
 * SigV4 for the AWS-shaped JSON and query APIs (KMS, CloudTrail on the management port and the S3
 * port; IAM and STS on the S3 port, {@code api.aws}): credential scope service {@code kms},
 * {@code cloudtrail} or {@code sts} in the proxy's region ({@code iam} in {@code us-east-1}), the payload hash taken from the
 * body (the AWS CLI and SDKs send no {@code x-amz-content-sha256} to them), any account's access key.
 * Presigned URLs are refused: they would leave the body unsigned; so is an {@code x-amz-content-sha256}
 * of {@code UNSIGNED-PAYLOAD} or a streaming mode (the body must be what was signed). A hex
 * {@code x-amz-content-sha256} must be the body's SHA-256.
 */
public final class JsonApiAuthenticator {
    private final AccountService accounts;
    private final SigV4Verifier verifier;
    private final String service;

    public JsonApiAuthenticator(AccountService accounts, SseProxyConfig config, String service) {
        this(accounts, config.region(), service);
    }

    /** For a service signed in another region than the proxy's (IAM: {@code us-east-1}). */
    public JsonApiAuthenticator(AccountService accounts, String region, String service) {
        this.accounts = accounts;
        this.service = service;
        this.verifier = new SigV4Verifier(Clock.systemUTC(), region, service);
    }

    /** The account whose access key signed the request. */
    public Uni<String> authenticate(SignedRequest request, byte[] body) {
        return credential(request, body).map(Credential::accountId);
    }

    /** The access key (and its account) that signed the request. */
    public Uni<Credential> credential(SignedRequest request, byte[] body) {
        return Uni.createFrom().deferred(() -> {
            byte[] sha256 = SigV4.sha256(body);
            AuthInfo info = SigV4Verifier.parse(request, SigV4.hex(sha256))
                    .orElseThrow(() -> new AuthException(AuthException.Kind.ACCESS_DENIED));
            if (info.presigned()) {
                throw new AuthException(AuthException.Kind.UNSUPPORTED_ALGORITHM,
                        "Query-string authentication is not supported by the " + service + " API; sign the Authorization header.");
            }
            info.requireSignedPayload(service);
            return accounts.credential(info.accessKeyId()).map(found -> {
                var credential = found.orElseThrow(() -> new AuthException(AuthException.Kind.INVALID_ACCESS_KEY_ID));
                verifier.verify(request, info, credential.secretKey());
                info.checkPayloadSha256(sha256);
                return credential;
            });
        });
    }
}
