package io.fleetprov.emulator.http;

import io.fleetprov.emulator.registry.ErrorType;
import io.fleetprov.emulator.registry.RegistryException;

/** An error answered in AWS's wire form: the error type name, its HTTP status and a message. */
public class AwsException extends RuntimeException {

    private final String errorType;
    private final int httpStatus;

    public AwsException(String errorType, int httpStatus, String message) {
        super(message);
        this.errorType = errorType;
        this.httpStatus = httpStatus;
    }

    public AwsException(ErrorType type, String message) {
        this(type.name(), type.httpStatus(), message);
    }

    public static AwsException of(RegistryException e) {
        return new AwsException(e.type(), e.getMessage());
    }

    public static AwsException invalidRequest(String message) {
        return new AwsException(ErrorType.InvalidRequestException, message);
    }

    public String errorType() {
        return errorType;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
