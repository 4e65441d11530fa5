package io.fleetprov.audit.rest;

import io.fleetprov.audit.service.ActivityService;
import io.fleetprov.audit.service.InstallerActivity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/installers")
@RolesAllowed(Roles.AUDITOR)
@Tag(name = "provenance")
public class InstallerResource {

    private final ActivityService activity;

    public InstallerResource(ActivityService activity) {
        this.activity = activity;
    }

    @GET
    @Path("/{subject}/activity")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "An installer's claims: issued, used, expired unused, denied; and their events, paged")
    public InstallerActivity activity(
            @PathParam("subject") String subject,
            @QueryParam("cursor") String cursor,
            @QueryParam("limit") Integer limit) {
        return activity.activity(subject, cursor, limit);
    }
}
