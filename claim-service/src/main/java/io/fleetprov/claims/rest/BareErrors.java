package io.fleetprov.claims.rest;

import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Errors that filters answer without a body — the CSRF filter's 400 for a form posted without its token, e.g. to
 * {@code /v1/claims} — leave as problem documents too, like every other error of this service.
 */
public class BareErrors {

    @ServerResponseFilter
    public void problemForBareErrors(ContainerResponseContext response) {
        int status = response.getStatus();
        if (status < 400 || response.hasEntity()) {
            return;
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        String detail =
                status == 400 ? "the request was refused before it was read (a form without its CSRF token?)" : title;
        response.setEntity(
                Problem.of("http-" + status, title, status, detail).json(),
                null,
                MediaType.valueOf(Problem.MEDIA_TYPE));
    }
}
