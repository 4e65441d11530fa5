package io.fleetprov.audit.service;

/** A query the API cannot answer as asked (bad cursor, bad range); answered with 400. */
public class InvalidRequestException extends RuntimeException {

    public InvalidRequestException(String message) {
        super(message);
    }
}
