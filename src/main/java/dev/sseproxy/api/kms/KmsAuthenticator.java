package dev.sseproxy.api.kms;

import dev.sseproxy.auth.AuthException;
import dev.sseproxy.auth.AuthInfo;
import dev.sseproxy.auth.SigV4;
import dev.sseproxy.auth.SigV4Verifier;
import dev.sseproxy.auth.SignedRequest;
import dev.sseproxy.catalog.AccountService;
import dev.sseproxy.config.SseProxyConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;

/**
 * SigV4 for the KMS API: credential scope service {@code kms} in the proxy's region, the payload
 * hash taken from the body (the AWS CLI and SDKs send no {@code x-amz-content-sha256} to kms), any
 * account's access key. Presigned URLs are refused: they would leave the body unsigned.
 */
@ApplicationScoped
public class KmsAuthenticator {
    private final AccountService accounts;
    private final SigV4Verifier verifier;

    public KmsAuthenticator(AccountService accounts, SseProxyConfig config) {
        this.accounts = accounts;
        this.verifier = new SigV4Verifier(Clock.systemUTC(), config.region(), "kms");
    }

    /** The account whose access key signed the request. */
    Uni<String> authenticate(SignedRequest request, byte[] body) {
        return Uni.createFrom().deferred(() -> {
            byte[] sha256 = SigV4.sha256(body);
            AuthInfo info = SigV4Verifier.parse(request, SigV4.hex(sha256))
                    .orElseThrow(() -> new AuthException(AuthException.Kind.ACCESS_DENIED));
            if (info.presigned()) {
                throw new AuthException(AuthException.Kind.UNSUPPORTED_ALGORITHM,
                        "Query-string authentication is not supported by the KMS API; sign the Authorization header.");
            }
            return accounts.credential(info.accessKeyId()).map(found -> {
                var credential = found.orElseThrow(() -> new AuthException(AuthException.Kind.INVALID_ACCESS_KEY_ID));
                verifier.verify(request, info, credential.secretKey());
                info.checkPayloadSha256(sha256);
                return credential.accountId();
            });
        });
    }
}
