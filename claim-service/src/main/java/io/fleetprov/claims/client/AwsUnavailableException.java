package io.fleetprov.claims.client;

/** AWS kept throttling, timed out or failed on its side; the caller should come back later. */
public class AwsUnavailableException extends RuntimeException {

    public AwsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
