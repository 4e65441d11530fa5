package io.fleetprov.protocol.model;

/** Payload of every {@code .../rejected} topic, with AWS's field names. */
public record ErrorResponse(int statusCode, String errorCode, String errorMessage) {}
