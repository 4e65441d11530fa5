package io.fleetprov.claims.rest;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Answers a bearer request of the API's OIDC tenant from {@link VerifiedBearerTokens} when the same token was
 * verified before; otherwise it answers nothing and quarkus-oidc's own provider, next in priority, verifies the token
 * in full ({@link VerifiedBearerRecorder} then remembers the result). Only the default tenant's bearer tokens: the
 * installer app's tenant (code flow, session cookie) is never answered from here.
 */
@ApplicationScoped
public class CachedBearerIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    /** quarkus-oidc's name for the tenant a request resolved to, and the bearer API's tenant. */
    static final String TENANT_ID = "tenant-id";

    static final String DEFAULT_TENANT = "Default";

    /** Marks an identity answered from the cache, so that it is not remembered a second time. */
    static final String FROM_CACHE = "fleetprov.bearer-from-cache";

    private final VerifiedBearerTokens tokens;

    public CachedBearerIdentityProvider(VerifiedBearerTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    /** Ahead of quarkus-oidc's provider (the default, {@code SYSTEM_FIRST + 1}). */
    @Override
    public int priority() {
        return SYSTEM_FIRST + 100;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(
            TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        RoutingContext routing = HttpSecurityUtils.getRoutingContextAttribute(request);
        if (request.getToken().getClass() != AccessTokenCredential.class
                || routing == null
                || !DEFAULT_TENANT.equals(routing.get(TENANT_ID))) {
            return Uni.createFrom().nullItem();
        }
        Optional<SecurityIdentity> verified = tokens.lookup(request.getToken().getToken());
        if (verified.isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        // The identity as quarkus-oidc built it, but for this request: the routing context is the only part of it
        // that belongs to the request it was verified for.
        SecurityIdentity identity = QuarkusSecurityIdentity.builder(verified.get())
                .addAttribute(RoutingContext.class.getName(), routing)
                .addAttribute(FROM_CACHE, Boolean.TRUE)
                .build();
        return Uni.createFrom().item(identity);
    }
}
