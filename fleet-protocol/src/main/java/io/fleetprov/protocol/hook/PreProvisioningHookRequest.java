package io.fleetprov.protocol.hook;

import java.util.Map;

/** What AWS IoT sends a pre-provisioning hook on every RegisterThing (payload version 2020-04-01). */
public record PreProvisioningHookRequest(
        String claimCertificateId,
        String certificateId,
        String certificatePem,
        String templateArn,
        String clientId,
        Map<String, String> parameters) {

    public PreProvisioningHookRequest {
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    }
}
