package io.fleetprov.audit.service;

/** Nothing on record for what was asked; answered with 404. */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String message) {
        super(message);
    }
}
