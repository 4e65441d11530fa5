package io.fleetprov.simulator.client;

import io.fleetprov.protocol.FleetOperation;
import io.fleetprov.protocol.model.ErrorResponse;

/** A fleet-provisioning request answered on its {@code /rejected} topic. */
public final class ProvisioningRejectedException extends DeviceException {

    private final FleetOperation operation;
    private final ErrorResponse error;

    public ProvisioningRejectedException(FleetOperation operation, ErrorResponse error) {
        super(
                error.errorCode() == null ? "Rejected" : error.errorCode(),
                error.statusCode(),
                operation + " rejected: " + error.statusCode() + " " + error.errorCode() + " " + error.errorMessage(),
                null);
        this.operation = operation;
        this.error = error;
    }

    public FleetOperation operation() {
        return operation;
    }

    public ErrorResponse error() {
        return error;
    }
}
