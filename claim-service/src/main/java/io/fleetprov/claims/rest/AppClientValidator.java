package io.fleetprov.claims.rest;

import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.jwt.consumer.Validator;

/**
 * Accepts only tokens the user pool issued to this service's app client ({@code quarkus.oidc.client-id}). A pool
 * has many app clients and signs all their tokens with one key, so a valid signature alone would let any of them
 * in. Cognito marks the client differently per token kind: access tokens carry it in {@code client_id} and have
 * no {@code aud}; ID tokens carry it in {@code aud}. quarkus-oidc runs this after the signature, issuer and expiry
 * checks; a non-null answer is a 401.
 */
@Unremovable
@ApplicationScoped
public class AppClientValidator implements Validator {

    private final String clientId;

    public AppClientValidator(@ConfigProperty(name = "quarkus.oidc.client-id") String clientId) {
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalStateException("quarkus.oidc.client-id must name the installer app client of the pool");
        }
        this.clientId = clientId;
    }

    @Override
    public String validate(JwtContext context) throws MalformedClaimException {
        JwtClaims claims = context.getJwtClaims();
        String use = claims.getClaimValueAsString("token_use");
        if ("access".equals(use)) {
            return clientId.equals(claims.getClaimValueAsString("client_id"))
                    ? null
                    : "access token of another app client";
        }
        if ("id".equals(use)) {
            List<String> audience = claims.getAudience();
            return audience != null && audience.contains(clientId) ? null : "ID token for another audience";
        }
        return "not a Cognito access or ID token";
    }
}
