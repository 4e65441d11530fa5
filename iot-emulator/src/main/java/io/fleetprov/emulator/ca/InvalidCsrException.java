package io.fleetprov.emulator.ca;

/** A device sent a certificate signing request the emulator will not sign; the message says why, for the rejected payload. */
public class InvalidCsrException extends RuntimeException {
    public InvalidCsrException(String message) {
        super(message);
    }

    InvalidCsrException(String message, Throwable cause) {
        super(message, cause);
    }
}
