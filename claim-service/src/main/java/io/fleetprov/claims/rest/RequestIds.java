package io.fleetprov.claims.rest;

import io.fleetprov.claims.event.FleetEvents;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Gives every request an id (the caller's {@code X-Request-Id} if it looks like one), puts it in the logging MDC
 * (it appears in every JSON log line) and echoes it in the response. Events carry the W3C trace id instead.
 */
public class RequestIds {

    public static final String HEADER = "X-Request-Id";
    private static final Pattern ACCEPTABLE = Pattern.compile("[A-Za-z0-9._-]{8,64}");

    @ServerRequestFilter(preMatching = true)
    public void assign(ContainerRequestContext request) {
        String given = request.getHeaderString(HEADER);
        String id = given != null && ACCEPTABLE.matcher(given).matches()
                ? given
                : UUID.randomUUID().toString();
        request.setProperty(FleetEvents.REQUEST_ID, id);
        MDC.put(FleetEvents.REQUEST_ID, id);
    }

    @ServerResponseFilter
    public void echo(ContainerRequestContext request, ContainerResponseContext response) {
        Object id = request.getProperty(FleetEvents.REQUEST_ID);
        if (id != null) {
            response.getHeaders().putSingle(HEADER, id.toString());
        }
    }
}
