package io.fleetprov.emulator.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/**
 * Writes errors the way both aws-sdk-java-v2 and botocore read them: the {@code x-amzn-ErrorType} header (which
 * both SDKs look at first) and a JSON body with {@code message} and {@code __type} (the body fallback).
 */
final class AwsErrors {

    /** The only message a client sees for an unexpected failure; the cause stays in the emulator's log. */
    static final AwsException INTERNAL_FAILURE = new AwsException(
            io.fleetprov.emulator.registry.ErrorType.InternalFailureException, "An internal error occurred.");

    private AwsErrors() {}

    record ErrorBody(String message, @JsonProperty("__type") String type) {}

    static void send(HttpExchange exchange, AwsException error, String contentType) throws IOException {
        byte[] body = Json.MAPPER.writeValueAsBytes(new ErrorBody(error.getMessage(), error.errorType()));
        exchange.getResponseHeaders().set("x-amzn-ErrorType", error.errorType());
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(error.httpStatus(), body.length);
        exchange.getResponseBody().write(body);
    }
}
