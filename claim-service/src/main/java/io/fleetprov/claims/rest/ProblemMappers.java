package io.fleetprov.claims.rest;

import io.fleetprov.claims.service.ClaimNotFoundException;
import io.fleetprov.claims.service.ClaimRefusedException;
import io.fleetprov.claims.service.IdempotencyConflictException;
import io.fleetprov.claims.store.StoreException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticator;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves as application/problem+json; causes stay in the log, never in the answer. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response refused(ClaimRefusedException e) {
        return Problem.of(e.reason().code(), e.reason().title(), e.reason().status(), e.getMessage())
                .toResponse(e.retryAfter());
    }

    @ServerExceptionMapper
    public Response conflict(IdempotencyConflictException e) {
        return Problem.of("idempotency-conflict", "Idempotency-Key conflict", 409, e.getMessage())
                .toResponse(e.retryAfter());
    }

    @ServerExceptionMapper
    public Response notFound(ClaimNotFoundException e) {
        return Problem.of("not-found", "Claim not found", 404, e.getMessage()).toResponse();
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Uni<Response> unauthorized(RuntimeException e, RoutingContext request) {
        HttpAuthenticator authenticator = request.get(HttpAuthenticator.class.getName());
        if (authenticator != null && isInstallerApp(request.normalizedPath())) {
            // The installer app's pages answer with the web-app tenant's challenge: a redirect to the hosted UI
            // (which also sets the cookie holding the PKCE verifier), not a problem document.
            return authenticator.getChallenge(request).map(challenge -> {
                Response.ResponseBuilder r = Response.status(challenge.status);
                challenge.getHeaders().forEach((name, value) -> r.header(name.toString(), value));
                return r.build();
            });
        }
        Response r = Problem.of("unauthorized", "Unauthorized", 401, "a valid credential is required")
                .toResponse();
        return Uni.createFrom()
                .item(Response.fromResponse(r)
                        .header("WWW-Authenticate", "Bearer")
                        .build());
    }

    private static boolean isInstallerApp(String path) {
        return path != null && (path.equals("/app") || path.startsWith("/app/"));
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return Problem.of("forbidden", "Forbidden", 403, "your groups do not allow this")
                .toResponse();
    }

    @ServerExceptionMapper
    public Response store(StoreException e) {
        LOG.error("database failure", e);
        return Problem.of("unavailable", "Service unavailable", 503, "the claim store is unavailable")
                .toResponse(Duration.ofSeconds(2));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String title = Response.Status.fromStatusCode(status) == null
                ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase();
        String detail = status == 400 ? "the request body is not valid JSON of the expected shape" : title;
        return Problem.of("http-" + status, title, status, detail).toResponse();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        LOG.error("unexpected failure", e);
        return Problem.of("internal", "Internal error", 500, "an unexpected error occurred; see the request id")
                .toResponse();
    }
}
