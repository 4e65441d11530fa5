package io.fleetprov.emulator.cognito.hostedui;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.fleetprov.emulator.cognito.AppClient;
import io.fleetprov.emulator.cognito.CognitoException;
import io.fleetprov.emulator.cognito.OAuthGrants;
import io.fleetprov.emulator.cognito.RedirectUris;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cognito's hosted UI and OAuth 2.0 endpoints: {@code /oauth2/authorize}, {@code /login} (the sign-in and new-password
 * forms), {@code /oauth2/token}, {@code /oauth2/userInfo}, {@code /oauth2/revoke} and {@code /logout}. Only this
 * class knows about status codes, headers and cookies; nothing it sends carries a stack trace.
 */
public final class HostedUiHandler implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(HostedUiHandler.class);

    private static final Set<String> PATHS =
            Set.of("/oauth2/authorize", "/login", "/oauth2/token", "/oauth2/userInfo", "/oauth2/revoke", "/logout");
    /** Forms are a few hundred bytes; bounds what a client makes the emulator buffer. */
    private static final int MAX_BODY_BYTES = 64 * 1024;

    private static final String CSRF_COOKIE = "XSRF-TOKEN";
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String HTML = "text/html; charset=utf-8";
    private static final String JSON = "application/json;charset=UTF-8";

    private final OAuthGrants grants;
    private final SecureRandom random = new SecureRandom();
    private final AuthorizationCodes codes;
    private final HostedUiSessions sessions;
    private final TokenEndpoint tokenEndpoint;
    private final ObjectMapper mapper = new ObjectMapper();

    public HostedUiHandler(OAuthGrants grants) {
        this.grants = grants;
        this.codes = new AuthorizationCodes(grants.clock(), random);
        this.sessions = new HostedUiSessions(grants.clock(), random);
        this.tokenEndpoint = new TokenEndpoint(grants, codes);
    }

    /** True if this request is for the hosted UI. */
    public static boolean handles(HttpExchange exchange) {
        return handles(exchange.getRequestURI().getPath());
    }

    public static boolean handles(String path) {
        return PATHS.contains(path);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            try {
                switch (path) {
                    case "/oauth2/authorize" -> requireMethod(method, "GET", () -> authorize(exchange));
                    case "/login" -> {
                        if ("GET".equals(method)) {
                            showSignIn(exchange);
                        } else {
                            requireMethod(method, "POST", () -> submitSignIn(exchange));
                        }
                    }
                    case "/oauth2/token" -> requireMethod(method, "POST", () -> token(exchange));
                    case "/oauth2/revoke" -> requireMethod(method, "POST", () -> revoke(exchange));
                    case "/oauth2/userInfo" -> {
                        if ("GET".equals(method) || "POST".equals(method)) {
                            userInfo(exchange);
                        } else {
                            throw new MethodNotAllowed("GET, POST");
                        }
                    }
                    case "/logout" -> requireMethod(method, "GET", () -> logout(exchange));
                    default -> sendPage(exchange, 404, "not_found", "No such page.", null);
                }
            } catch (MethodNotAllowed e) {
                exchange.getResponseHeaders().set("Allow", e.getMessage());
                sendPage(exchange, 405, "invalid_request", "Method not allowed.", null);
            } catch (OAuthError e) {
                sendOAuthError(exchange, e);
            } catch (RuntimeException e) {
                // The cause stays in the log; the client gets a generic answer.
                LOG.warn("hosted UI request {} failed", path, e);
                if (path.startsWith("/oauth2/") && !path.equals("/oauth2/authorize")) {
                    sendOAuthError(exchange, new OAuthError("server_error", 500, "Internal error"));
                } else {
                    sendPage(exchange, 500, "server_error", "Internal error.", null);
                }
            }
        }
    }

    // --- authorize, sign-in -----------------------------------------------------------------------------------

    private void authorize(HttpExchange exchange) throws IOException {
        AuthorizeRequest request = authorizeRequest(exchange);
        if (request == null) {
            return;
        }
        Optional<HostedUiSessions.Session> session = "login".equals(request.prompt())
                ? Optional.empty()
                : sessions.find(
                        cookie(exchange, HostedUiSessions.COOKIE),
                        request.client().userPoolId());
        if (session.isPresent()) {
            redirect(
                    exchange,
                    request.codeRedirect(issueCode(
                            request, session.get().username(), session.get().authTime())));
        } else if ("none".equals(request.prompt())) {
            redirect(
                    exchange,
                    request.error("login_required", "The user is not signed in.")
                            .redirect());
        } else {
            // As Cognito does: the authorization request moves to the sign-in page, parameters and all.
            redirect(exchange, "/login?" + exchange.getRequestURI().getRawQuery());
        }
    }

    private void showSignIn(HttpExchange exchange) throws IOException {
        AuthorizeRequest request = authorizeRequest(exchange);
        if (request != null) {
            sendSignIn(exchange, request, null, null);
        }
    }

    private void submitSignIn(HttpExchange exchange) throws IOException {
        AuthorizeRequest request = authorizeRequest(exchange);
        if (request == null) {
            return;
        }
        Map<String, String> form = readForm(exchange, false);
        if (form == null) {
            sendSignIn(exchange, request, null, "Please sign in.");
            return;
        }
        // Double-submit CSRF check: a page of another site cannot read our cookie to copy it into the form, so it
        // cannot sign a victim's browser in (or into the attacker's account).
        if (!OpaqueValues.same(cookie(exchange, CSRF_COOKIE), form.get("_csrf"))) {
            sendSignIn(exchange, request, form.get("username"), "Your sign-in page expired. Please sign in again.");
            return;
        }
        AppClient client = request.client();
        if (form.containsKey("session")) {
            submitNewPassword(exchange, request, form);
            return;
        }
        String username = form.get("username");
        String password = form.get("password");
        if (username == null || username.isEmpty() || password == null || password.isEmpty()) {
            sendSignIn(exchange, request, username, "Please enter your username and password.");
            return;
        }
        OAuthGrants.SignIn signIn;
        try {
            signIn = grants.signIn(client, username, password);
        } catch (CognitoException e) {
            sendSignIn(exchange, request, username, e.getMessage());
            return;
        }
        if (signIn.newPasswordRequired()) {
            sendNewPassword(exchange, request, signIn.newPasswordSession(), username, null);
            return;
        }
        signedIn(exchange, request, username);
    }

    private void submitNewPassword(HttpExchange exchange, AuthorizeRequest request, Map<String, String> form)
            throws IOException {
        String session = form.get("session");
        String username = form.getOrDefault("username", "");
        String newPassword = form.getOrDefault("newPassword", "");
        if (newPassword.isEmpty() || !newPassword.equals(form.get("confirmPassword"))) {
            // Checked here, so the challenge session is not used up by a typo.
            sendNewPassword(exchange, request, session, username, "The passwords do not match.");
            return;
        }
        try {
            grants.setNewPassword(request.client(), session, username, newPassword);
        } catch (CognitoException e) {
            // Cognito uses up the challenge session on any answer, so the user starts over from the password.
            sendSignIn(exchange, request, username, e.getMessage() + " Please sign in again.");
            return;
        }
        signedIn(exchange, request, username);
    }

    private void signedIn(HttpExchange exchange, AuthorizeRequest request, String username) throws IOException {
        sessions.close(cookie(exchange, HostedUiSessions.COOKIE));
        String cookie = sessions.open(request.client().userPoolId(), username);
        setCookie(exchange, HostedUiSessions.COOKIE, cookie, HostedUiSessions.VALIDITY.toSeconds());
        HostedUiSessions.Session session =
                sessions.find(cookie, request.client().userPoolId()).orElseThrow();
        redirect(exchange, request.codeRedirect(issueCode(request, username, session.authTime())));
    }

    private String issueCode(AuthorizeRequest request, String username, Instant authTime) {
        return codes.issue(new AuthorizationCodes.Grant(
                request.client().clientId(),
                request.client().userPoolId(),
                username,
                request.redirectUri(),
                request.scope(),
                request.nonce(),
                request.codeChallenge(),
                authTime));
    }

    /** The checked request, or null when an error answer has been sent. */
    private AuthorizeRequest authorizeRequest(HttpExchange exchange) throws IOException {
        try {
            return AuthorizeRequest.parse(
                    UrlEncodedParams.parse(exchange.getRequestURI().getRawQuery()), grants);
        } catch (IllegalArgumentException e) {
            sendPage(exchange, 400, "invalid_request", "Malformed request: " + e.getMessage(), null);
        } catch (AuthorizeRequest.Invalid e) {
            if (e.redirectable()) {
                redirect(exchange, e.redirect());
            } else {
                sendPage(exchange, 400, e.error(), e.getMessage(), null);
            }
        }
        return null;
    }

    private void sendSignIn(HttpExchange exchange, AuthorizeRequest request, String username, String error)
            throws IOException {
        String csrf = OpaqueValues.random(random);
        setCookie(exchange, CSRF_COOKIE, csrf, -1);
        String html = HostedUiPages.signIn(
                "/login?" + exchange.getRequestURI().getRawQuery(),
                csrf,
                request.client().clientName(),
                username,
                error);
        sendPage(exchange, 200, html, request.redirectUri());
    }

    private void sendNewPassword(
            HttpExchange exchange, AuthorizeRequest request, String session, String username, String error)
            throws IOException {
        String csrf = OpaqueValues.random(random);
        setCookie(exchange, CSRF_COOKIE, csrf, -1);
        String html = HostedUiPages.newPassword(
                "/login?" + exchange.getRequestURI().getRawQuery(), csrf, session, username, error);
        sendPage(exchange, 200, html, request.redirectUri());
    }

    // --- token, revoke, userInfo, logout ----------------------------------------------------------------------

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> form = readForm(exchange, true);
        Map<String, Object> body =
                tokenEndpoint.token(exchange.getRequestHeaders().getFirst("Authorization"), form);
        sendJson(exchange, 200, body);
    }

    private void revoke(HttpExchange exchange) throws IOException {
        Map<String, String> form = readForm(exchange, true);
        tokenEndpoint.revoke(exchange.getRequestHeaders().getFirst("Authorization"), form);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, -1);
    }

    private void userInfo(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            throw new OAuthError("invalid_request", 401, "A Bearer access token is required.");
        }
        OAuthGrants.TokenOwner owner = grants.accessTokenOwner(
                        authorization.substring(7).trim())
                .orElseThrow(() -> {
                    exchange.getResponseHeaders()
                            .set(
                                    "WWW-Authenticate",
                                    "Bearer error=\"invalid_token\", error_description=\"Access token is invalid\"");
                    return new OAuthError("invalid_token", 401, "Access token is invalid.");
                });
        List<String> scopes =
                owner.scope() == null ? List.of() : Arrays.asList(owner.scope().split(" "));
        boolean admin = scopes.contains("aws.cognito.signin.user.admin");
        if (!admin && !scopes.contains("openid")) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer error=\"insufficient_scope\"");
            throw new OAuthError("insufficient_scope", 403, "The access token needs the openid scope.");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        Map<String, String> attributes;
        try {
            attributes = grants.attributes(owner);
        } catch (CognitoException e) {
            throw new OAuthError("invalid_token", 401, "Access token is invalid.");
        }
        body.put("sub", attributes.get("sub"));
        // Cognito returns the attributes the token's scopes cover, as strings ("email_verified": "true").
        attributes.forEach((name, value) -> {
            boolean email = name.startsWith("email");
            boolean phone = name.startsWith("phone_number");
            if (name.equals("sub")) {
                return;
            }
            if (admin
                    || name.equals("username")
                    || (email && scopes.contains("email"))
                    || (phone && scopes.contains("phone"))
                    || (!email && !phone && scopes.contains("profile"))) {
                body.put(name, value);
            }
        });
        sendJson(exchange, 200, body);
    }

    private void logout(HttpExchange exchange) throws IOException {
        Map<String, String> params;
        try {
            params = UrlEncodedParams.parse(exchange.getRequestURI().getRawQuery());
        } catch (IllegalArgumentException e) {
            sendPage(exchange, 400, "invalid_request", "Malformed request: " + e.getMessage(), null);
            return;
        }
        Optional<AppClient> client = grants.client(params.get("client_id"));
        if (client.isEmpty()) {
            sendPage(exchange, 400, "invalid_request", "Invalid client_id.", null);
            return;
        }
        String logoutUri = params.get("logout_uri");
        String target;
        if (logoutUri != null) {
            if (!RedirectUris.matches(client.get().oauth().logoutUrls(), logoutUri)) {
                sendPage(
                        exchange,
                        400,
                        "redirect_mismatch",
                        "logout_uri is not one of the app client's LogoutURLs.",
                        null);
                return;
            }
            target = logoutUri;
        } else if (params.get("redirect_uri") != null) {
            // Cognito's other form: sign out, then sign in again (possibly as someone else).
            if (!RedirectUris.matches(client.get().oauth().callbackUrls(), params.get("redirect_uri"))) {
                sendPage(
                        exchange,
                        400,
                        "redirect_mismatch",
                        "redirect_uri is not one of the app client's CallbackURLs.",
                        null);
                return;
            }
            target = "/oauth2/authorize?" + exchange.getRequestURI().getRawQuery();
        } else {
            sendPage(
                    exchange,
                    400,
                    "invalid_request",
                    "logout_uri (or redirect_uri and response_type) is required.",
                    null);
            return;
        }
        sessions.close(cookie(exchange, HostedUiSessions.COOKIE));
        setCookie(exchange, HostedUiSessions.COOKIE, "", 0);
        redirect(exchange, target);
    }

    // --- HTTP plumbing ----------------------------------------------------------------------------------------

    /**
     * @param oauth whether errors are OAuth JSON errors (token endpoints) or null for an unusable body (forms)
     */
    private Map<String, String> readForm(HttpExchange exchange, boolean oauth) throws IOException {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith(FORM)) {
            if (oauth) {
                throw OAuthError.invalidRequest("Content-Type must be " + FORM + ".");
            }
            return null;
        }
        byte[] bytes;
        try (InputStream in = exchange.getRequestBody()) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (bytes.length > MAX_BODY_BYTES) {
            if (oauth) {
                throw OAuthError.invalidRequest("Request body too large.");
            }
            return null;
        }
        try {
            return UrlEncodedParams.parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            if (oauth) {
                throw OAuthError.invalidRequest("Malformed form body: " + e.getMessage());
            }
            return null;
        }
    }

    private static String cookie(HttpExchange exchange, String name) {
        List<String> headers = exchange.getRequestHeaders().get("Cookie");
        if (headers == null) {
            return null;
        }
        for (String header : headers) {
            for (String part : header.split(";")) {
                String trimmed = part.trim();
                if (trimmed.startsWith(name + "=")) {
                    String value = trimmed.substring(name.length() + 1);
                    // RFC 2965 clients quote values.
                    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                            ? value.substring(1, value.length() - 1)
                            : value;
                }
            }
        }
        return null;
    }

    /** @param maxAgeSeconds -1 for a browser-session cookie, 0 to delete */
    private void setCookie(HttpExchange exchange, String name, String value, long maxAgeSeconds) {
        // HttpOnly: no script reads it; SameSite=Lax: sent on the top-level navigation to /oauth2/authorize, not on
        // cross-site subrequests. Not Secure: the emulator serves plain HTTP. Expires next to Max-Age, because
        // java.net.HttpCookie takes a Max-Age-only cookie for an RFC 2965 one and sends it back quoted.
        String cookie = name + "=" + value + "; Path=/; HttpOnly; SameSite=Lax";
        if (maxAgeSeconds >= 0) {
            Instant expires = maxAgeSeconds == 0
                    ? Instant.EPOCH
                    : grants.clock().instant().plusSeconds(maxAgeSeconds);
            cookie += "; Max-Age=" + maxAgeSeconds + "; Expires="
                    + DateTimeFormatter.RFC_1123_DATE_TIME.format(expires.atZone(ZoneOffset.UTC));
        }
        exchange.getResponseHeaders().add("Set-Cookie", cookie);
    }

    private static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(302, -1);
    }

    private void sendPage(HttpExchange exchange, int status, String error, String description, String formTarget)
            throws IOException {
        sendPage(exchange, status, HostedUiPages.error(error, description), formTarget);
    }

    /** @param formTarget nullable: the redirect URI a form on the page ends up at (CSP form-action follows redirects) */
    private static void sendPage(HttpExchange exchange, int status, String html, String formTarget) throws IOException {
        String formAction = formTarget == null ? "'self'" : "'self' " + RedirectUris.origin(formTarget);
        exchange.getResponseHeaders()
                .set(
                        "Content-Security-Policy",
                        "default-src 'none'; form-action " + formAction + "; frame-ancestors 'none'; base-uri 'none'");
        exchange.getResponseHeaders().set("X-Frame-Options", "DENY");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        // The page's URL carries the authorization request; it stays out of Referer headers.
        exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        send(exchange, status, HTML, html.getBytes(StandardCharsets.UTF_8));
    }

    private void sendJson(HttpExchange exchange, int status, Map<String, Object> body) throws IOException {
        send(exchange, status, JSON, mapper.writeValueAsBytes(body));
    }

    private void sendOAuthError(HttpExchange exchange, OAuthError e) throws IOException {
        if (e.status() == 401 && !exchange.getResponseHeaders().containsKey("WWW-Authenticate")) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"cognito\"");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.error());
        body.put("error_description", e.getMessage());
        sendJson(exchange, e.status(), body);
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("Pragma", "no-cache");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    private static void requireMethod(String method, String allowed, IoAction action) throws IOException {
        if (!allowed.equals(method)) {
            throw new MethodNotAllowed(allowed);
        }
        action.run();
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }

    private static final class MethodNotAllowed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MethodNotAllowed(String allowed) {
            super(allowed);
        }
    }
}
