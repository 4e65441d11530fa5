package io.fleetprov.emulator.http;

import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.faults.FaultSettings;
import java.util.List;

/**
 * The emulator's own operations, outside AWS's API under {@code /_emulator}: fault injection at run time and
 * minting service identities for claim-service and audit-service, and what the process holds in memory (for soaks).
 */
final class EmulatorAdminApi {

    private final IotEmulator emulator;

    EmulatorAdminApi(IotEmulator emulator) {
        this.emulator = emulator;
    }

    List<Route> routes() {
        return List.of(
                Route.of(
                        "GET",
                        "/_emulator/faults",
                        "DescribeFaults",
                        request -> emulator.faults().settings()),
                Route.of("PUT", "/_emulator/faults", "UpdateFaults", this::updateFaults),
                Route.of("GET", "/_emulator/memory", "DescribeMemory", request -> emulator.memory()),
                Route.of(
                        "POST",
                        "/_emulator/service-identities/{name}",
                        "CreateServiceIdentity",
                        request -> emulator.createServiceIdentity(request.path("name"))));
    }

    private Object updateFaults(ApiRequest request) {
        FaultSettings update = request.body(FaultSettings.class);
        if (update == null) {
            throw AwsException.invalidRequest("A JSON body with the faults to change is required");
        }
        try {
            return emulator.faults().update(update);
        } catch (IllegalArgumentException e) {
            throw AwsException.invalidRequest(e.getMessage());
        }
    }
}
