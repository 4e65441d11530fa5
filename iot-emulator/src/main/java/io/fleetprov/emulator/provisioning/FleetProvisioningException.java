package io.fleetprov.emulator.provisioning;

import io.fleetprov.protocol.model.ErrorResponse;

/** A fleet-provisioning request refused with the payload that goes to its {@code /rejected} topic. */
public class FleetProvisioningException extends RuntimeException {

    private final int statusCode;
    private final String errorCode;

    public FleetProvisioningException(int statusCode, String errorCode, String message) {
        super(message);
        this.statusCode = statusCode;
        this.errorCode = errorCode;
    }

    public int statusCode() {
        return statusCode;
    }

    public String errorCode() {
        return errorCode;
    }

    public ErrorResponse toErrorResponse() {
        return new ErrorResponse(statusCode, errorCode, getMessage());
    }
}
