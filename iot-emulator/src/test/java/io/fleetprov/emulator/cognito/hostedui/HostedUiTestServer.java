package io.fleetprov.emulator.cognito.hostedui;

import com.sun.net.httpserver.HttpServer;
import io.fleetprov.emulator.cognito.AppClient;
import io.fleetprov.emulator.cognito.CognitoHttpHandler;
import io.fleetprov.emulator.cognito.CognitoUserPools;
import io.fleetprov.emulator.cognito.OAuthSettings;
import java.io.IOException;
import java.net.CookieManager;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One user pool with a code-flow app client, served by the Cognito handler on a free loopback port. */
final class HostedUiTestServer implements AutoCloseable {

    static final String POOL_ID = "us-east-1_HostedUi2";
    static final String CLIENT_ID = "webapp";
    static final String CALLBACK = "http://localhost:9/callback";
    static final String SIGNED_OUT = "http://localhost:9/signed-out";
    static final String PASSWORD = "Installer-Passw0rd!";
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    final CognitoUserPools cognito;
    final String base;
    private final HttpServer server;

    HostedUiTestServer(Clock clock) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        base = "http://localhost:" + server.getAddress().getPort();
        cognito = new CognitoUserPools(null, base, clock);
        CognitoHttpHandler handler = new CognitoHttpHandler(cognito);
        server.createContext("/", handler);
        server.start();
        cognito.pools().createUserPool(POOL_ID, "pool");
        cognito.pools()
                .createAppClient(
                        POOL_ID,
                        CLIENT_ID,
                        "web app",
                        AppClient.DEFAULT_AUTH_FLOWS,
                        null,
                        new OAuthSettings(
                                List.of(CALLBACK),
                                List.of(SIGNED_OUT),
                                Set.of(OAuthSettings.CODE),
                                Set.of("openid", "email", "profile"),
                                true,
                                List.of(OAuthSettings.COGNITO)));
        cognito.users().adminCreateUser(POOL_ID, "alice", null, Map.of("email", "alice@example.com"));
        cognito.users().adminSetUserPassword(POOL_ID, "alice", PASSWORD, true);
    }

    static HttpClient browser() {
        return HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    String authorizeQuery(Map<String, String> overrides) {
        Map<String, String> params = new java.util.LinkedHashMap<>(HostedUiIT.ordered(
                "response_type", "code",
                "client_id", CLIENT_ID,
                "redirect_uri", CALLBACK,
                "scope", "openid email",
                "state", "st"));
        params.putAll(overrides);
        params.values().removeIf(v -> v == null);
        return HostedUiIT.form(params);
    }

    HttpResponse<String> get(HttpClient client, String pathOrUrl) throws Exception {
        return HostedUiIT.get(client, pathOrUrl.startsWith("http") ? pathOrUrl : base + pathOrUrl);
    }

    HttpResponse<String> post(HttpClient client, String path, String authorization, Map<String, String> form)
            throws Exception {
        return HostedUiIT.post(client, base + path, authorization, form);
    }

    HttpResponse<String> postRaw(String path, String contentType, String body) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(base + path))
                                .header("Content-Type", contentType)
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    /** Opens the sign-in page in the browser and submits it; the response of the submission. */
    HttpResponse<String> signIn(HttpClient browser, String query, String username, String password) throws Exception {
        HttpResponse<String> page = get(browser, "/login?" + query);
        return post(
                browser,
                "/login?" + query,
                null,
                HostedUiIT.ordered("_csrf", csrf(page), "username", username, "password", password));
    }

    static String csrf(HttpResponse<String> page) {
        Matcher m = CSRF.matcher(page.body());
        if (!m.find()) {
            throw new AssertionError("no CSRF token in " + page.body());
        }
        return m.group(1);
    }

    static Map<String, String> callbackParams(HttpResponse<String> redirect) {
        String location = redirect.headers()
                .firstValue("Location")
                .orElseThrow(() -> new AssertionError("no redirect: " + redirect.statusCode() + " " + redirect.body()));
        if (!location.startsWith(CALLBACK + "?")) {
            throw new AssertionError("not the callback: " + location);
        }
        return UrlEncodedParams.parse(URI.create(location).getRawQuery());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
