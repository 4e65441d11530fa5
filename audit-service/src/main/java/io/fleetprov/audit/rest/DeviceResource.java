package io.fleetprov.audit.rest;

import io.fleetprov.audit.service.Provenance;
import io.fleetprov.audit.service.ProvenanceService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/devices")
@RolesAllowed(Roles.AUDITOR)
@Tag(name = "provenance")
public class DeviceResource {

    private final ProvenanceService provenance;

    public DeviceResource(ProvenanceService provenance) {
        this.provenance = provenance;
    }

    @GET
    @Path("/{thingName}/provenance")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "The device's chain of custody",
            description = "Installer, claim, hook decision, device certificate, thing, first connect with the new "
                    + "identity and later presence (paged with cursor), each with its time and event id.")
    public Provenance provenance(
            @PathParam("thingName") String thingName,
            @QueryParam("cursor") String cursor,
            @QueryParam("limit") Integer limit) {
        return provenance.provenance(thingName, cursor, limit);
    }
}
