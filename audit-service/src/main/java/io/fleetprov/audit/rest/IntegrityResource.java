package io.fleetprov.audit.rest;

import io.fleetprov.audit.service.IntegrityReport;
import io.fleetprov.audit.service.IntegrityService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/integrity")
@RolesAllowed(Roles.AUDITOR)
@Tag(name = "integrity")
public class IntegrityResource {

    private final IntegrityService integrity;

    public IntegrityResource(IntegrityService integrity) {
        this.integrity = integrity;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Verify the hash chain (all of it, or links from..to) and name the first broken link")
    public IntegrityReport verify(@QueryParam("from") Long from, @QueryParam("to") Long to) {
        return integrity.verify(from, to);
    }
}
