package io.fleetprov.claims.rest;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Authenticates calls to the hook from their headers (or TLS session) before any byte of the body is read: an
 * unauthenticated caller gets a 401 and the connection is closed, so it cannot make the service buffer or parse a
 * large body. Runs ahead of Quarkus's body-size limit ({@code quarkus.http.limits.max-body-size}, 64 KB here), so an
 * authenticated hook call that is too large is then a 413.
 */
@ApplicationScoped
public class HookRequestGate {

    /** Vert.x orders filters by {@code -priority}: 10 runs before the body-size limit at order -2. */
    private static final int PRIORITY = 10;

    static final String HOOK_PATH = "/v1/hooks/";

    private static final String UNAUTHORIZED = Problem.of(
                    "unauthorized", "Unauthorized", 401, "a valid credential is required")
            .json();

    private final HookAuthenticator authenticator;

    public HookRequestGate(HookAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    void register(@Observes Filters filters) {
        filters.register(this::filter, PRIORITY);
    }

    private void filter(RoutingContext context) {
        String path = context.normalizedPath();
        if (path == null || !path.startsWith(HOOK_PATH) || authenticator.accepts(context.request())) {
            context.next();
            return;
        }
        context.response()
                .setStatusCode(401)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(UNAUTHORIZED)
                .onComplete(ignored -> context.request().connection().close());
    }
}
