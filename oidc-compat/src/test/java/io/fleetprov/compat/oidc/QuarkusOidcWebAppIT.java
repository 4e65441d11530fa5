package io.fleetprov.compat.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * quarkus-oidc in {@code web-app} mode, with PKCE and Cognito-style logout, using the emulator as its provider: a
 * browser (java.net.http with cookies, redirects followed by hand) opens a protected page, signs in on the hosted UI,
 * comes back through the callback, sees the page as the user, and logs out through the emulator.
 */
@QuarkusTest
@WithTestResource(HostedUiEmulatorResource.class)
class QuarkusOidcWebAppIT {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private final HttpClient browser = HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    @Test
    void signInThroughTheHostedUiAndLogOut() throws Exception {
        String app = "http://localhost:" + ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        String emulator = ConfigProvider.getConfig().getValue("fleetprov-compat.emulator-url", String.class);

        HttpResponse<String> toProvider = get(app + "/signed-in");
        assertThat(toProvider.statusCode()).isEqualTo(302);
        String authorize = location(toProvider, app);
        assertThat(authorize).startsWith(emulator + "/oauth2/authorize?").contains("code_challenge_method=S256");

        String login = location(get(authorize), emulator);
        HttpResponse<String> page = get(login);
        assertThat(page.statusCode()).isEqualTo(200);
        Matcher csrf = CSRF.matcher(page.body());
        assertThat(csrf.find()).isTrue();
        HttpResponse<String> signedIn = post(
                login,
                "_csrf=" + enc(csrf.group(1)) + "&username=alice&password=" + enc(HostedUiEmulatorResource.PASSWORD));
        String callback = location(signedIn, emulator);
        assertThat(callback).startsWith(app + "/callback?code=");

        // quarkus-oidc redeems the code (with its verifier), checks the ID token, and goes back to the page
        HttpResponse<String> back = get(callback);
        assertThat(back.statusCode()).as(back.body()).isEqualTo(302);
        HttpResponse<String> protectedPage = get(location(back, app));
        assertThat(protectedPage.statusCode()).isEqualTo(200);
        assertThat(protectedPage.body())
                .isEqualTo("alice installer=true aud=[" + HostedUiEmulatorResource.CLIENT_ID + "]");

        HttpResponse<String> logout = get(app + "/logout");
        String endSession = location(logout, app);
        assertThat(endSession).startsWith(emulator + "/logout?");
        HttpResponse<String> loggedOut = get(endSession);
        String signedOut = location(loggedOut, emulator);
        assertThat(signedOut).startsWith(app + "/signed-out");
        assertThat(get(signedOut).body()).isEqualTo("signed out");
        // the hosted-UI session is over too: the next sign-in shows the form again
        String again = location(get(app + "/signed-in"), app);
        assertThat(location(get(again), emulator)).startsWith(emulator + "/login?");
    }

    private HttpResponse<String> get(String url) throws Exception {
        return browser.send(
                HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String form) throws Exception {
        return browser.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String location(HttpResponse<String> response, String base) {
        assertThat(response.statusCode())
                .as("%s %s", response.uri(), response.body())
                .isEqualTo(302);
        return URI.create(base + "/")
                .resolve(response.headers().firstValue("Location").orElseThrow())
                .toString();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
