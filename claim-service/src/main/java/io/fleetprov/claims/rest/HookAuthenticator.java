package io.fleetprov.claims.rest;

import io.fleetprov.claims.config.ClaimServiceConfig;
import io.fleetprov.claims.config.ClaimServiceConfig.HookAuth;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Principal;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Authenticates the hook's caller: a shared secret in a header (compared in constant time), or a TLS client
 * certificate whose subject is on the allow list (needs {@code quarkus.http.ssl.client-auth=request} and a trust
 * store). Anything else is refused.
 */
@ApplicationScoped
public class HookAuthenticator {

    private final HookAuth mode;
    private final String header;
    private final byte[] secret;
    private final List<String> allowedSubjects;

    public HookAuthenticator(ClaimServiceConfig config) {
        ClaimServiceConfig.Hook hook = config.hook();
        this.mode = hook.auth();
        this.header = hook.secretHeader();
        this.secret = hook.secret().map(s -> s.getBytes(StandardCharsets.UTF_8)).orElse(null);
        this.allowedSubjects = hook.allowedSubjects().orElse(List.of());
        if (mode == HookAuth.SHARED_SECRET && (secret == null || secret.length < 16)) {
            throw new IllegalStateException(
                    "fleetprov.hook.secret must be set (16+ characters) with auth=shared-secret");
        }
    }

    public void authenticate(HttpServerRequest request) {
        if (!accepts(request)) {
            throw new UnauthorizedException("hook caller not authenticated");
        }
    }

    /** Decided from the headers and the TLS session alone, so it can run before the body is read. */
    public boolean accepts(HttpServerRequest request) {
        return mode == HookAuth.SHARED_SECRET ? secretMatches(request.getHeader(header)) : peerAllowed(request);
    }

    private boolean secretMatches(String presented) {
        return presented != null && MessageDigest.isEqual(secret, presented.getBytes(StandardCharsets.UTF_8));
    }

    private boolean peerAllowed(HttpServerRequest request) {
        SSLSession session = request.sslSession();
        if (session == null) {
            return false;
        }
        try {
            Principal peer = session.getPeerPrincipal();
            return peer != null && allowedSubjects.contains(peer.getName());
        } catch (SSLPeerUnverifiedException e) {
            return false;
        }
    }
}
