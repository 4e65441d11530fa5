package io.fleetprov.audit.rest;

import io.fleetprov.audit.service.Anomaly;
import io.fleetprov.audit.service.AnomalyService;
import io.fleetprov.audit.service.Page;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/anomalies")
@RolesAllowed(Roles.AUDITOR)
@Tag(name = "anomalies")
public class AnomalyResource {

    private final AnomalyService anomalies;

    public AnomalyResource(AnomalyService anomalies) {
        this.anomalies = anomalies;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Anomalies in the record, oldest first",
            description = "Claims used twice or with a wrong serial, claims expired unused, things created with no "
                    + "claim on record, serials provisioned twice, installers' denial bursts, devices that never "
                    + "reconnected with their new identity.")
    public Page<Anomaly> anomalies(
            @QueryParam("kind") Anomaly.Kind kind,
            @QueryParam("cursor") String cursor,
            @QueryParam("limit") Integer limit) {
        return anomalies.page(kind, cursor, limit);
    }
}
