package io.fleetprov.claims.rest;

import io.fleetprov.claims.service.ClaimPage;
import io.fleetprov.claims.service.ClaimRefusedException;
import io.fleetprov.claims.service.ClaimService;
import io.fleetprov.claims.service.ClaimView;
import io.fleetprov.claims.service.Installer;
import io.fleetprov.claims.service.RefusalReason;
import io.fleetprov.protocol.claim.ClaimRequest;
import io.fleetprov.protocol.claim.ClaimResponse;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** The installer-facing API. */
@Path("/v1/claims")
@Produces(MediaType.APPLICATION_JSON)
public class ClaimResource {

    private static final int MAX_PAGE = 100;

    private final ClaimService claims;
    private final SecurityIdentity identity;
    private final JsonWebToken token;

    public ClaimResource(ClaimService claims, SecurityIdentity identity, JsonWebToken token) {
        this.claims = claims;
        this.identity = identity;
        this.token = token;
    }

    @POST
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Installer.INSTALLER)
    @Operation(summary = "Issue a claim certificate bound to one device serial number")
    @APIResponse(
            responseCode = "201",
            description = "The claim bundle; never cached",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ClaimResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid serial number, template name or Idempotency-Key")
    @APIResponse(
            responseCode = "403",
            description = "Template not allowed for the caller's groups, or replace asked without a replacer group")
    @APIResponse(
            responseCode = "409",
            description = "Idempotency-Key conflict, or the serial number is already provisioned (already-provisioned)")
    @APIResponse(responseCode = "413", description = "The body is larger than 64 KB")
    @APIResponse(responseCode = "429", description = "Per-installer quota exceeded; see Retry-After")
    @APIResponse(responseCode = "503", description = "AWS IoT or the service is saturated; see Retry-After")
    public Response issue(ClaimRequest request, @HeaderParam("Idempotency-Key") String idempotencyKey) {
        if (request == null) {
            throw new ClaimRefusedException(RefusalReason.INVALID_INPUT, "a JSON body with serialNumber is required");
        }
        boolean replace = Boolean.TRUE.equals(request.replace());
        ClaimResponse bundle =
                claims.issue(caller(), request.serialNumber(), request.templateName(), replace, idempotencyKey);
        return Response.created(URI.create("/v1/claims/" + bundle.certificateId()))
                .entity(bundle)
                .cacheControl(noStore())
                .header("Pragma", "no-cache")
                .build();
    }

    @GET
    @RolesAllowed({Installer.INSTALLER, Installer.ADMIN})
    @Operation(summary = "The caller's own claims, newest first, with an opaque cursor to the next page")
    @APIResponse(
            responseCode = "200",
            description = "A page of claims (no key material); nextCursor is absent on the last page",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ClaimPage.class)))
    @APIResponse(responseCode = "400", description = "mine=true missing, a limit out of 1..100, or a foreign cursor")
    public ClaimPage listMine(
            @QueryParam("mine") String mine,
            @QueryParam("cursor") String cursor,
            @QueryParam("limit") @DefaultValue("20") String limit) {
        if (!"true".equals(mine)) {
            // Only the caller's own claims are offered; a later "all claims" view for admins would be another mode.
            throw new ClaimRefusedException(RefusalReason.INVALID_INPUT, "mine=true is required");
        }
        return claims.listMine(caller(), cursor, pageSize(limit));
    }

    @GET
    @Path("{certificateId}")
    @RolesAllowed({Installer.INSTALLER, Installer.ADMIN})
    @Operation(summary = "A claim's state, to the installer who asked for it or an admin")
    @APIResponse(responseCode = "404", description = "No such claim, or another installer's")
    public ClaimView get(@PathParam("certificateId") String certificateId) {
        return claims.view(caller(), certificateId);
    }

    private Installer caller() {
        return new Installer(token.getSubject(), identity.getRoles());
    }

    private static int pageSize(String limit) {
        try {
            int n = Integer.parseInt(limit);
            if (n >= 1 && n <= MAX_PAGE) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ClaimRefusedException(RefusalReason.INVALID_INPUT, "limit must be 1 to " + MAX_PAGE);
    }

    private static CacheControl noStore() {
        CacheControl cc = new CacheControl();
        cc.setNoStore(true);
        cc.setNoTransform(false);
        return cc;
    }
}
