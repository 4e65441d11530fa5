package io.fleetprov.compat.oidc;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The pages of the test web app: one behind sign-in, one to land on after logout. */
@Path("/")
public class SignedInResource {

    private final SecurityIdentity identity;

    public SignedInResource(SecurityIdentity identity) {
        this.identity = identity;
    }

    @GET
    @Path("signed-in")
    @Authenticated
    @Produces(MediaType.TEXT_PLAIN)
    public String signedIn() {
        // In web-app mode the principal is the ID token.
        JsonWebToken idToken = (JsonWebToken) identity.getPrincipal();
        return idToken.getName() + " installer=" + identity.hasRole("installer") + " aud=" + idToken.getAudience();
    }

    @GET
    @Path("signed-out")
    @PermitAll
    @Produces(MediaType.TEXT_PLAIN)
    public String signedOut() {
        return "signed out";
    }
}
