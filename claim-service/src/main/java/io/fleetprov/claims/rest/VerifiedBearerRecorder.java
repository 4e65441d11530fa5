package io.fleetprov.claims.rest;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Remembers in {@link VerifiedBearerTokens} each bearer token of the API's tenant that quarkus-oidc verified, with
 * the identity it made of it. Runs before any other augmentor, so the identity remembered is quarkus-oidc's own and
 * the others augment a cached one as they would a fresh one.
 */
@ApplicationScoped
public class VerifiedBearerRecorder implements SecurityIdentityAugmentor {

    private final VerifiedBearerTokens tokens;

    public VerifiedBearerRecorder(VerifiedBearerTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public int priority() {
        return Integer.MAX_VALUE;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (!identity.isAnonymous()
                && identity.getAttribute(CachedBearerIdentityProvider.FROM_CACHE) == null
                && CachedBearerIdentityProvider.DEFAULT_TENANT.equals(
                        identity.getAttribute(CachedBearerIdentityProvider.TENANT_ID))
                && identity.getPrincipal() instanceof JsonWebToken jwt) {
            AccessTokenCredential bearer = identity.getCredential(AccessTokenCredential.class);
            if (bearer != null
                    && bearer.getClass() == AccessTokenCredential.class
                    && bearer.getToken() != null
                    && bearer.getToken().equals(jwt.getRawToken())) {
                tokens.remember(bearer.getToken(), identity, jwt.getExpirationTime());
            }
        }
        return Uni.createFrom().item(identity);
    }
}
