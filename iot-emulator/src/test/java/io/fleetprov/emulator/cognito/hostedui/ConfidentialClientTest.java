package io.fleetprov.emulator.cognito.hostedui;

import static io.fleetprov.emulator.cognito.hostedui.HostedUiHandlerTest.basic;
import static io.fleetprov.emulator.cognito.hostedui.HostedUiIT.ordered;
import static io.fleetprov.emulator.cognito.hostedui.HostedUiTestServer.CALLBACK;
import static io.fleetprov.emulator.cognito.hostedui.HostedUiTestServer.PASSWORD;
import static io.fleetprov.emulator.cognito.hostedui.HostedUiTestServer.POOL_ID;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.fleetprov.emulator.cognito.AppClient;
import io.fleetprov.emulator.cognito.OAuthSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Clients with a secret at the token endpoint: HTTP Basic or client_secret_post, and client_credentials. */
class ConfidentialClientTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String M2M = "m2mclient";
    private static final String M2M_SECRET = "m2msecret0123456789abcdefghijklmnopqrstuvwxyz0123";
    private static final String WEB = "confidentialweb";
    private static final String WEB_SECRET = "websecret0123456789abcdefghijklmnopqrstuvwxyz01234";

    private static HostedUiTestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new HostedUiTestServer(Clock.systemUTC());
        server.cognito
                .pools()
                .createAppClient(
                        POOL_ID,
                        M2M,
                        "machine",
                        AppClient.DEFAULT_AUTH_FLOWS,
                        M2M_SECRET,
                        new OAuthSettings(
                                List.of(),
                                List.of(),
                                Set.of(OAuthSettings.CLIENT_CREDENTIALS),
                                Set.of("fleetprov/claims.write", "fleetprov/claims.read"),
                                true,
                                List.of()));
        server.cognito
                .pools()
                .createAppClient(
                        POOL_ID,
                        WEB,
                        "server-side web app",
                        AppClient.DEFAULT_AUTH_FLOWS,
                        WEB_SECRET,
                        new OAuthSettings(
                                List.of(CALLBACK),
                                List.of(),
                                Set.of(OAuthSettings.CODE),
                                Set.of("openid", "email"),
                                true,
                                List.of(OAuthSettings.COGNITO)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void clientCredentialsWithBasicGivesAnAccessTokenForTheClientWithItsCustomScopes() throws Exception {
        HttpResponse<String> response = token(basic(M2M, M2M_SECRET), ordered("grant_type", "client_credentials"));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.has("id_token")).isFalse();
        assertThat(body.has("refresh_token")).isFalse();
        JWTClaimsSet claims =
                SignedJWT.parse(body.path("access_token").asText()).getJWTClaimsSet();
        assertThat(claims.getStringClaim("client_id")).isEqualTo(M2M);
        assertThat(claims.getSubject()).isEqualTo(M2M);
        assertThat(claims.getStringClaim("token_use")).isEqualTo("access");
        assertThat(claims.getStringClaim("scope")).isEqualTo("fleetprov/claims.read fleetprov/claims.write");
        assertThat(claims.getClaim("username")).isNull();
        // no user: userInfo has nothing to say about it
        assertThat(userInfo(body.path("access_token").asText()).statusCode()).isEqualTo(401);
    }

    @Test
    void clientCredentialsWithClientSecretPostAndANarrowerScope() throws Exception {
        HttpResponse<String> response = token(
                null,
                ordered(
                        "grant_type",
                        "client_credentials",
                        "client_id",
                        M2M,
                        "client_secret",
                        M2M_SECRET,
                        "scope",
                        "fleetprov/claims.read"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(SignedJWT.parse(JSON.readTree(response.body())
                                .path("access_token")
                                .asText())
                        .getJWTClaimsSet()
                        .getStringClaim("scope"))
                .isEqualTo("fleetprov/claims.read");
    }

    @Test
    void clientCredentialsRefusals() throws Exception {
        assertError(token(basic(M2M, "wrong"), ordered("grant_type", "client_credentials")), 401, "invalid_client");
        assertError(token(null, ordered("grant_type", "client_credentials", "client_id", M2M)), 401, "invalid_client");
        assertError(
                token(basic(M2M, M2M_SECRET), ordered("grant_type", "client_credentials", "client_secret", M2M_SECRET)),
                400,
                "invalid_request");
        assertError(
                token(basic(M2M, M2M_SECRET), ordered("grant_type", "client_credentials", "scope", "openid")),
                400,
                "invalid_scope");
        // a client with a secret but without the flow
        assertError(
                token(basic(WEB, WEB_SECRET), ordered("grant_type", "client_credentials")), 400, "unauthorized_client");
        // the machine client is not allowed the code flow either
        assertError(
                token(
                        basic(M2M, M2M_SECRET),
                        ordered("grant_type", "authorization_code", "code", "x", "redirect_uri", CALLBACK)),
                400,
                "unauthorized_client");
    }

    @Test
    void aConfidentialWebClientRedeemsItsCodeOnlyWithItsSecret() throws Exception {
        String query = server.authorizeQuery(Map.of("client_id", WEB));
        String code = HostedUiTestServer.callbackParams(
                        server.signIn(HostedUiTestServer.browser(), query, "alice", PASSWORD))
                .get("code");
        Map<String, String> exchange =
                ordered("grant_type", "authorization_code", "code", code, "redirect_uri", CALLBACK);

        Map<String, String> publicStyle = ordered("client_id", WEB);
        publicStyle.putAll(exchange);
        assertError(token(null, publicStyle), 401, "invalid_client");
        assertError(token(basic(WEB, "wrong"), exchange), 401, "invalid_client");

        HttpResponse<String> redeemed = token(basic(WEB, WEB_SECRET), exchange);
        assertThat(redeemed.statusCode()).isEqualTo(200);
        JsonNode tokens = JSON.readTree(redeemed.body());
        assertThat(SignedJWT.parse(tokens.path("id_token").asText())
                        .getJWTClaimsSet()
                        .getAudience())
                .containsExactly(WEB);

        HttpResponse<String> refreshed = token(
                basic(WEB, WEB_SECRET),
                ordered(
                        "grant_type",
                        "refresh_token",
                        "refresh_token",
                        tokens.path("refresh_token").asText()));
        assertThat(refreshed.statusCode()).isEqualTo(200);
        assertError(
                token(
                        null,
                        ordered(
                                "grant_type",
                                "refresh_token",
                                "client_id",
                                WEB,
                                "refresh_token",
                                tokens.path("refresh_token").asText())),
                401,
                "invalid_client");
    }

    private static HttpResponse<String> token(String authorization, Map<String, String> form) throws Exception {
        return server.post(HttpClient.newHttpClient(), "/oauth2/token", authorization, form);
    }

    private static HttpResponse<String> userInfo(String accessToken) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(server.base + "/oauth2/userInfo"))
                                .header("Authorization", "Bearer " + accessToken)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static void assertError(HttpResponse<String> response, int status, String error) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(JSON.readTree(response.body()).path("error").asText()).isEqualTo(error);
    }
}
