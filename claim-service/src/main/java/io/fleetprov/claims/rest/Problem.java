package io.fleetprov.claims.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.Response;
import java.time.Duration;

/** An RFC 9457 problem document. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://fleetprov.io/problems/";
    private static final ObjectMapper JSON = new ObjectMapper();

    public static Problem of(String code, String title, int status, String detail) {
        return new Problem(TYPE_BASE + code, title, status, detail, null);
    }

    public Response toResponse(Duration retryAfter) {
        Response.ResponseBuilder builder =
                Response.status(status).type(MEDIA_TYPE).entity(json());
        if (retryAfter != null) {
            long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
            builder.header("Retry-After", Long.toString(seconds));
        }
        return builder.build();
    }

    public Response toResponse() {
        return toResponse(null);
    }

    String json() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
