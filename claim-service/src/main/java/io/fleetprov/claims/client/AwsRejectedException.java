package io.fleetprov.claims.client;

/** AWS refused the request for a reason retrying will not fix (unknown template, missing permission, ...). */
public class AwsRejectedException extends RuntimeException {

    private final String errorCode;

    public AwsRejectedException(String errorCode, String message, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
    }

    public String errorCode() {
        return errorCode;
    }
}
