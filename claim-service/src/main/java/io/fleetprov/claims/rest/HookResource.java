package io.fleetprov.claims.rest;

import io.fleetprov.claims.service.HookDecision;
import io.fleetprov.claims.service.HookService;
import io.fleetprov.protocol.hook.PreProvisioningHookRequest;
import io.fleetprov.protocol.hook.PreProvisioningHookResponse;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** AWS IoT's pre-provisioning hook (through a forwarding Lambda on AWS, directly from the emulator locally). */
@Path("/v1/hooks/pre-provisioning")
@PermitAll
public class HookResource {

    private final HookService hooks;
    private final HookAuthenticator authenticator;

    public HookResource(HookService hooks, HookAuthenticator authenticator) {
        this.hooks = hooks;
        this.authenticator = authenticator;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Allow provisioning only for the device a claim was issued for, once, before expiry")
    @APIResponse(responseCode = "200", description = "{allowProvisioning, parameterOverrides}")
    @APIResponse(responseCode = "401", description = "The caller is not the configured hook caller")
    @APIResponse(responseCode = "413", description = "The body is larger than 64 KB")
    public PreProvisioningHookResponse decide(PreProvisioningHookRequest request, @Context HttpServerRequest http) {
        // HookRequestGate already refused unauthenticated callers before the body was read; checked again so the
        // endpoint stays closed should a path variant ever slip past the gate's prefix match.
        authenticator.authenticate(http);
        if (request == null) {
            return PreProvisioningHookResponse.deny();
        }
        HookDecision decision = hooks.decide(request);
        return decision.allowed() ? PreProvisioningHookResponse.allow(Map.of()) : PreProvisioningHookResponse.deny();
    }
}
