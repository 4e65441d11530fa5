package io.fleetprov.claims;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.RedirectConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.config.SSLConfig;
import io.restassured.response.Response;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The installer app's edges that need no browser: HTTPS with the local CA, sign-in sent to the user pool's
 * authorization endpoint with PKCE, security headers without 'unsafe-inline', CSRF on its forms, and the bearer
 * API untouched by either.
 */
@QuarkusTest
class InstallerAppTest {

    private static final RestAssuredConfig NO_REDIRECTS =
            RestAssuredConfig.config().redirect(RedirectConfig.redirectConfig().followRedirects(false));

    @Test
    void servesHttpsWithACertificateFromTheLocalCa() throws Exception {
        given().config(NO_REDIRECTS.sslConfig(SSLConfig.sslConfig().trustStore(trustStore())))
                .baseUri("https://localhost")
                .port(Integer.parseInt(Tokens.config("fleetprov-test.https-port")))
                .get("/app/signed-out")
                .then()
                .statusCode(200)
                .body(containsString("Signed out"));
    }

    @Test
    void signInGoesToTheUserPoolWithPkce() {
        Response r = given().config(NO_REDIRECTS).get("/app");
        assertThat(r.statusCode()).isEqualTo(302);
        URI location = URI.create(r.header("Location"));
        assertThat(location.toString()).startsWith(Tokens.config("fleetprov-test.cognito-url") + "/oauth2/authorize");
        String query = location.getRawQuery();
        assertThat(query)
                .contains("response_type=code")
                .contains("client_id=" + Tokens.config("fleetprov-test.cognito-client-id"))
                .contains("code_challenge=")
                .contains("code_challenge_method=S256")
                .contains("redirect_uri=")
                .contains("%2Fapp%2Fcallback");
        // The state cookie that carries the PKCE verifier is HttpOnly, Secure and SameSite=Lax.
        String stateCookie = r.headers().getValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("q_auth"))
                .findFirst()
                .orElseThrow();
        assertThat(stateCookie)
                .containsIgnoringCase("HttpOnly")
                .contains("Secure")
                .containsIgnoringCase("SameSite=Lax");
    }

    @Test
    void pagesCarryAStrictContentSecurityPolicy() {
        Response r = given().get("/app/signed-out");
        String csp = r.header("Content-Security-Policy");
        assertThat(csp)
                .contains("default-src 'self'")
                .contains("script-src 'self'")
                .contains("frame-ancestors 'none'")
                .doesNotContain("unsafe-inline")
                .doesNotContain("unsafe-eval");
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(r.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(r.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(r.header("Cache-Control")).contains("no-store");
        // No inline script anywhere in the page: the app's script is a file.
        assertThat(r.body().asString()).doesNotContain("<script>").contains("src=\"/static/app.js\"");
        given().get("/static/app.js").then().statusCode(200).body(containsString("BarcodeDetector"));
    }

    @Test
    void formPostsWithoutCsrfTokenOrSessionAreRefusedAndTheApiIsUnaffected() {
        String installer = ClaimServiceEmulator.installer();
        // A cross-site form post: no session, no CSRF token. Nothing is issued.
        Response forged = given().config(NO_REDIRECTS)
                .contentType("application/x-www-form-urlencoded")
                .formParams(Map.of("serialNumber", Claims.serial()))
                .post("/app/claims");
        assertThat(forged.statusCode()).isIn(302, 400, 401, 403);
        given().config(NO_REDIRECTS)
                .contentType("application/x-www-form-urlencoded")
                .formParams(Map.of("handle", "guess"))
                .post("/app/claims/bundle")
                .then()
                .statusCode(not(equalTo(200)));

        // A form posted to the API is refused as a problem document, like every other error.
        given().auth()
                .oauth2(Tokens.of(installer))
                .contentType("application/x-www-form-urlencoded")
                .formParams(Map.of("serialNumber", Claims.serial()))
                .post("/v1/claims")
                .then()
                .statusCode(anyOf(equalTo(400), equalTo(415)))
                .contentType("application/problem+json");

        // The bearer API takes JSON without CSRF tokens, as before.
        String serial = Claims.serial();
        Claims.issue(installer, serial);
        given().auth()
                .oauth2(Tokens.of(installer))
                .get("/v1/claims?mine=true")
                .then()
                .statusCode(200)
                .body("items[0].serialNumber", equalTo(serial));
        // A bearer token does not open the web app's pages (they are the web-app tenant's, cookie sessions only).
        Response withBearer =
                given().config(NO_REDIRECTS).auth().oauth2(Tokens.of(installer)).get("/app");
        assertThat(withBearer.statusCode()).isNotEqualTo(200);
    }

    private static KeyStore trustStore() throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(Path.of(Tokens.config("fleetprov-test.https-ca-file")))) {
            ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        return ks;
    }
}
