package dev.sseproxy.api;

import dev.sseproxy.auth.AuthException;
import dev.sseproxy.auth.AuthInfo;
import dev.sseproxy.auth.SigV4Verifier;
import dev.sseproxy.auth.SignedRequest;
import dev.sseproxy.catalog.AccountService;
import dev.sseproxy.config.SseProxyConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Optional;

/**
 * Authenticates an exchange: SigV4 header or presigned query, checked against the access key's
 * secret. Anonymous requests pass through unauthenticated (the operation decides; today only POST
 * Object, which carries its own signature in the form, accepts them).
 */
@ApplicationScoped
public class RequestAuthenticator {
    private final AccountService accounts;
    private final SigV4Verifier verifier;

    public RequestAuthenticator(AccountService accounts, SseProxyConfig config) {
        this.accounts = accounts;
        this.verifier = new SigV4Verifier(Clock.systemUTC(), config.region());
    }

    public Uni<Void> authenticate(S3Exchange ex) {
        SignedRequest signed = signedRequest(ex);
        Optional<AuthInfo> info;
        try {
            info = SigV4Verifier.parse(signed);
        } catch (AuthException e) {
            return Uni.createFrom().failure(e);
        }
        if (info.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        AuthInfo ai = info.get();
        return accounts.credential(ai.accessKeyId()).map(c -> {
            var cred = c.orElseThrow(() -> AuthException.invalidAccessKeyId(ai.accessKeyId()));
            ex.authenticated(cred, ai, verifier.verify(signed, ai, cred.secretKey()));
            return null;
        });
    }

    static SignedRequest signedRequest(S3Exchange ex) {
        // the signature covers the bytes the client sent: header values go in as the UTF-8 text
        // those bytes spell (the HTTP layer decoded them one char per byte)
        return new SignedRequest(ex.method(), ex.rawPath(), ex.rawQuery(), ex.headers().asUtf8Text());
    }
}
