package io.fleetprov.emulator.cognito.hostedui;

import static io.fleetprov.emulator.cognito.hostedui.HostedUiIT.ordered;
import static io.fleetprov.emulator.cognito.hostedui.HostedUiTestServer.CALLBACK;
import static io.fleetprov.emulator.cognito.hostedui.HostedUiTestServer.CLIENT_ID;
import static io.fleetprov.emulator.cognito.hostedui.HostedUiTestServer.PASSWORD;
import static io.fleetprov.emulator.cognito.hostedui.HostedUiTestServer.POOL_ID;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetprov.emulator.cognito.AppClient;
import io.fleetprov.emulator.cognito.AuthResult;
import io.fleetprov.emulator.cognito.OAuthSettings;
import io.fleetprov.emulator.cognito.UserStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The hosted UI's refusals and edge cases, over HTTP; the happy path end to end is {@link HostedUiIT}. */
class HostedUiHandlerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
    private final Clock clock = ((InstantSource) now::get).withZone(ZoneOffset.UTC);
    private HostedUiTestServer server;
    private HttpClient browser;

    @BeforeEach
    void start() throws Exception {
        server = new HostedUiTestServer(clock);
        browser = HostedUiTestServer.browser();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    // --- the sign-in form ---

    @Test
    void aWrongPasswordShowsTheFormAgainWithAnErrorAndNoCode() throws Exception {
        HttpResponse<String> response =
                server.signIn(browser, server.authorizeQuery(Map.of()), "alice", "wrong-password");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Location")).isEmpty();
        assertThat(response.body())
                .contains("id=\"error\"", "Incorrect username or password.", "value=\"alice\"")
                .doesNotContain("wrong-password");
        // the right password still works afterwards
        assertThat(HostedUiTestServer.callbackParams(
                        server.signIn(browser, server.authorizeQuery(Map.of()), "alice", PASSWORD)))
                .containsKey("code");
    }

    @Test
    void anUnknownUserGetsTheSameAnswerAsAWrongPassword() throws Exception {
        HttpResponse<String> response = server.signIn(browser, server.authorizeQuery(Map.of()), "mallory", "whatever1");

        assertThat(response.body()).contains("Incorrect username or password.");
    }

    @Test
    void whatTheUserTypedIsEscaped() throws Exception {
        HttpResponse<String> response =
                server.signIn(browser, server.authorizeQuery(Map.of()), "\"><script>alert(1)</script>", "x1234567");

        assertThat(response.body()).doesNotContain("<script>").contains("&lt;script&gt;");
    }

    @Test
    void aTemporaryPasswordLeadsToTheNewPasswordFormAndThenToTheCode() throws Exception {
        server.cognito.users().adminCreateUser(POOL_ID, "bob", "Temp-Passw0rd!", Map.of());
        String query = server.authorizeQuery(Map.of());

        HttpResponse<String> challenge = server.signIn(browser, query, "bob", "Temp-Passw0rd!");
        assertThat(challenge.statusCode()).isEqualTo(200);
        assertThat(challenge.body()).contains("id=\"newPassword\"", "id=\"confirmPassword\"");

        HttpResponse<String> typo = submitNewPassword(query, challenge, "New-Passw0rd!", "New-Passw0rd?");
        assertThat(typo.body()).contains("The passwords do not match.", "id=\"newPassword\"");

        HttpResponse<String> done = submitNewPassword(query, typo, "New-Passw0rd!", "New-Passw0rd!");
        assertThat(HostedUiTestServer.callbackParams(done))
                .containsEntry("state", "st")
                .containsKey("code");
        assertThat(server.cognito.users().adminGetUser(POOL_ID, "bob").status()).isEqualTo(UserStatus.CONFIRMED);
    }

    @Test
    void aNewPasswordAgainstThePolicySendsTheUserBackToSignIn() throws Exception {
        server.cognito.users().adminCreateUser(POOL_ID, "bob", "Temp-Passw0rd!", Map.of());
        String query = server.authorizeQuery(Map.of());
        HttpResponse<String> challenge = server.signIn(browser, query, "bob", "Temp-Passw0rd!");

        HttpResponse<String> tooShort = submitNewPassword(query, challenge, "short", "short");

        assertThat(tooShort.headers().firstValue("Location")).isEmpty();
        assertThat(tooShort.body()).contains("Password did not conform with policy", "id=\"password\"");
        // the temporary password is still the one to start over with
        assertThat(server.signIn(browser, query, "bob", "Temp-Passw0rd!").body())
                .contains("id=\"newPassword\"");
    }

    @Test
    void aFormWithoutTheCsrfTokenIsRefusedAndTheExistingSessionSurvives() throws Exception {
        String query = server.authorizeQuery(Map.of());
        assertThat(HostedUiTestServer.callbackParams(server.signIn(browser, query, "alice", PASSWORD)))
                .containsKey("code");

        // a cross-site form post: the browser sends its cookies, but the attacker cannot know the token
        HttpResponse<String> forged = server.post(
                browser, "/login?" + query, null, ordered("username", "mallory", "password", "Mall0ry-pw!"));
        HttpResponse<String> wrongToken = server.post(
                browser,
                "/login?" + query,
                null,
                ordered("_csrf", "guessed", "username", "alice", "password", PASSWORD));

        assertThat(forged.headers().firstValue("Location")).isEmpty();
        assertThat(forged.body()).contains("Your sign-in page expired.");
        assertThat(wrongToken.headers().firstValue("Location")).isEmpty();
        HttpResponse<String> again = server.get(browser, "/oauth2/authorize?" + query);
        assertThat(HostedUiTestServer.callbackParams(again)).containsKey("code");
    }

    @Test
    void promptLoginShowsTheFormDespiteASessionAndPromptNoneNeedsOne() throws Exception {
        HttpClient fresh = HostedUiTestServer.browser();
        HttpResponse<String> none =
                server.get(fresh, "/oauth2/authorize?" + server.authorizeQuery(Map.of("prompt", "none")));
        assertThat(HostedUiTestServer.callbackParams(none)).containsEntry("error", "login_required");

        server.signIn(browser, server.authorizeQuery(Map.of()), "alice", PASSWORD);
        HttpResponse<String> login =
                server.get(browser, "/oauth2/authorize?" + server.authorizeQuery(Map.of("prompt", "login")));
        assertThat(login.headers().firstValue("Location").orElseThrow()).startsWith("/login?");
    }

    @Test
    void theSessionLastsAnHour() throws Exception {
        server.signIn(browser, server.authorizeQuery(Map.of()), "alice", PASSWORD);

        now.set(now.get().plus(HostedUiSessions.VALIDITY));

        HttpResponse<String> later = server.get(browser, "/oauth2/authorize?" + server.authorizeQuery(Map.of()));
        assertThat(later.headers().firstValue("Location").orElseThrow()).startsWith("/login?");
    }

    // --- authorize errors ---

    @Test
    void unknownClientAndUnregisteredRedirectUriAreErrorPagesNeverRedirects() throws Exception {
        for (Map<String, String> bad : List.of(
                Map.of("client_id", "nosuchclient"),
                Map.of("redirect_uri", CALLBACK + "/"),
                Map.of("redirect_uri", "https://evil.example/callback"))) {
            for (String path : List.of("/oauth2/authorize?", "/login?")) {
                HttpResponse<String> response = server.get(browser, path + server.authorizeQuery(bad));
                assertThat(response.statusCode()).as("%s %s", path, bad).isEqualTo(400);
                assertThat(response.headers().firstValue("Location")).isEmpty();
                assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            }
        }
        assertThat(server.get(
                                browser,
                                "/oauth2/authorize?" + server.authorizeQuery(Map.of("redirect_uri", CALLBACK + "/")))
                        .body())
                .contains("redirect_mismatch");
    }

    @Test
    void laterErrorsGoBackToTheClientWithTheState() throws Exception {
        assertAuthorizeError(Map.of("response_type", "token"), "unsupported_response_type");
        assertAuthorizeError(Map.of("scope", "openid phone"), "invalid_scope");
        assertAuthorizeError(
                Map.of("code_challenge", Pkce.s256("a".repeat(43)), "code_challenge_method", "plain"),
                "invalid_request");
        assertAuthorizeError(Map.of("code_challenge", "too-short"), "invalid_request");
        HashMap<String, String> noChallenge = new HashMap<>();
        noChallenge.put("code_challenge_method", "S256");
        assertAuthorizeError(noChallenge, "invalid_request");
    }

    @Test
    void aClientNotAllowedTheCodeFlowIsRefused() throws Exception {
        server.cognito
                .pools()
                .updateOAuthSettings(
                        POOL_ID,
                        CLIENT_ID,
                        new OAuthSettings(List.of(CALLBACK), List.of(), Set.of(), Set.of(), false, List.of()));

        assertAuthorizeError(Map.of(), "unauthorized_client");
    }

    @Test
    void repeatedParametersAreRefused() throws Exception {
        HttpResponse<String> response =
                server.get(browser, "/oauth2/authorize?" + server.authorizeQuery(Map.of()) + "&state=other");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Location")).isEmpty();
    }

    // --- the token endpoint ---

    @Test
    void tokenEndpointErrorsAreOAuthJson() throws Exception {
        String code = code(null);
        assertTokenError(
                ordered(
                        "grant_type",
                        "authorization_code",
                        "client_id",
                        "nosuchclient",
                        "code",
                        code,
                        "redirect_uri",
                        CALLBACK),
                null,
                401,
                "invalid_client");
        assertTokenError(ordered("client_id", CLIENT_ID, "code", code), null, 400, "invalid_request");
        assertTokenError(
                ordered("grant_type", "password", "client_id", CLIENT_ID), null, 400, "unsupported_grant_type");
        assertTokenError(
                ordered("grant_type", "authorization_code", "client_id", CLIENT_ID, "code", code),
                null,
                400,
                "invalid_request");
        // a public client: a secret is not its to send
        assertTokenError(
                ordered("grant_type", "authorization_code", "code", code, "redirect_uri", CALLBACK),
                basic(CLIENT_ID, "made-up-secret"),
                401,
                "invalid_client");
        assertTokenError(
                ordered("grant_type", "client_credentials", "client_id", CLIENT_ID), null, 400, "unauthorized_client");
        // after all that, the code is still good
        assertThat(redeem(code, null).statusCode()).isEqualTo(200);
    }

    @Test
    void tokenEndpointRefusesBodiesThatAreNotForms() throws Exception {
        HttpResponse<String> json = server.postRaw("/oauth2/token", "application/json", "{\"grant_type\":\"x\"}");
        HttpResponse<String> repeated = server.postRaw(
                "/oauth2/token",
                "application/x-www-form-urlencoded",
                "grant_type=refresh_token&grant_type=authorization_code&client_id=" + CLIENT_ID);

        for (HttpResponse<String> response : List.of(json, repeated)) {
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).path("error").asText()).isEqualTo("invalid_request");
        }
    }

    @Test
    void aCodeOfOneClientIsNoGoodToAnother() throws Exception {
        server.cognito
                .pools()
                .createAppClient(
                        POOL_ID,
                        "otherapp",
                        "other",
                        AppClient.DEFAULT_AUTH_FLOWS,
                        null,
                        new OAuthSettings(
                                List.of(CALLBACK),
                                List.of(),
                                Set.of("code"),
                                Set.of("openid"),
                                true,
                                List.of("COGNITO")));
        String code = code(null);

        assertTokenError(
                ordered(
                        "grant_type",
                        "authorization_code",
                        "client_id",
                        "otherapp",
                        "code",
                        code,
                        "redirect_uri",
                        CALLBACK),
                null,
                400,
                "invalid_grant");
        assertThat(redeem(code, null).statusCode()).isEqualTo(200);
    }

    @Test
    void aRefreshTokenWorksOnlyForItsClientAndRevokeEndsIt() throws Exception {
        server.cognito
                .pools()
                .createAppClient(
                        POOL_ID,
                        "otherapp",
                        "other",
                        AppClient.DEFAULT_AUTH_FLOWS,
                        null,
                        new OAuthSettings(
                                List.of(CALLBACK),
                                List.of(),
                                Set.of("code"),
                                Set.of("openid"),
                                true,
                                List.of("COGNITO")));
        String refresh = JSON.readTree(redeem(code(null), null).body())
                .path("refresh_token")
                .asText();

        assertTokenError(
                ordered("grant_type", "refresh_token", "client_id", "otherapp", "refresh_token", refresh),
                null,
                400,
                "invalid_grant");
        assertThat(server.post(
                                HttpClient.newHttpClient(),
                                "/oauth2/token",
                                null,
                                ordered(
                                        "grant_type",
                                        "refresh_token",
                                        "client_id",
                                        CLIENT_ID,
                                        "refresh_token",
                                        refresh))
                        .statusCode())
                .isEqualTo(200);

        // revoking by another client does nothing; by its own client, it ends the token
        server.post(
                HttpClient.newHttpClient(), "/oauth2/revoke", null, ordered("client_id", "otherapp", "token", refresh));
        assertThat(server.post(
                                HttpClient.newHttpClient(),
                                "/oauth2/token",
                                null,
                                ordered(
                                        "grant_type",
                                        "refresh_token",
                                        "client_id",
                                        CLIENT_ID,
                                        "refresh_token",
                                        refresh))
                        .statusCode())
                .isEqualTo(200);
        HttpResponse<String> revoked = server.post(
                HttpClient.newHttpClient(), "/oauth2/revoke", null, ordered("client_id", CLIENT_ID, "token", refresh));
        assertThat(revoked.statusCode()).isEqualTo(200);
        assertTokenError(
                ordered("grant_type", "refresh_token", "client_id", CLIENT_ID, "refresh_token", refresh),
                null,
                400,
                "invalid_grant");
    }

    @Test
    void withoutTheOpenidScopeThereIsNoIdTokenAndNoUserInfo() throws Exception {
        JsonNode tokens =
                JSON.readTree(redeem(code(Map.of("scope", "email")), null).body());

        assertThat(tokens.has("id_token")).isFalse();
        assertThat(tokens.has("access_token")).isTrue();
        HttpResponse<String> info =
                userInfo("Bearer " + tokens.path("access_token").asText());
        assertThat(info.statusCode()).isEqualTo(403);
        assertThat(info.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("insufficient_scope");
    }

    // --- userInfo ---

    @Test
    void userInfoNeedsAValidAccessToken() throws Exception {
        JsonNode tokens = JSON.readTree(redeem(code(null), null).body());

        HttpResponse<String> none = userInfo(null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer");
        // an ID token is not an access token
        HttpResponse<String> idToken =
                userInfo("Bearer " + tokens.path("id_token").asText());
        assertThat(idToken.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(idToken.body()).path("error").asText()).isEqualTo("invalid_token");
        // a tampered token
        String access = tokens.path("access_token").asText();
        String[] parts = access.split("\\.");
        String forgedPayload = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                        new String(Base64.getUrlDecoder().decode(parts[1]), java.nio.charset.StandardCharsets.UTF_8)
                                .replace("\"alice\"", "\"admin\"")
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(userInfo("Bearer " + parts[0] + "." + forgedPayload + "." + parts[2])
                        .statusCode())
                .isEqualTo(401);
        assertThat(userInfo("Bearer not-a-jwt").statusCode()).isEqualTo(401);
        // the genuine one still works, and stops working when it expires
        HttpResponse<String> genuine = userInfo("Bearer " + access);
        assertThat(genuine.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(genuine.body()).path("email").asText()).isEqualTo("alice@example.com");
        now.set(now.get().plus(Duration.ofHours(1)));
        assertThat(userInfo("Bearer " + access).statusCode()).isEqualTo(401);
    }

    @Test
    void userInfoAcceptsInitiateAuthAccessTokens() throws Exception {
        Map<String, String> params = new HashMap<>();
        params.put("USERNAME", "alice");
        params.put("PASSWORD", PASSWORD);
        AuthResult result = server.cognito.authentication().initiateAuth(CLIENT_ID, "USER_PASSWORD_AUTH", params);

        HttpResponse<String> info = userInfo("Bearer " + result.tokens().accessToken());

        assertThat(info.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(info.body()).path("username").asText()).isEqualTo("alice");
    }

    // --- logout ---

    @Test
    void logoutToAnUnregisteredUriIsRefusedAndTheSessionSurvives() throws Exception {
        server.signIn(browser, server.authorizeQuery(Map.of()), "alice", PASSWORD);

        HttpResponse<String> evil = server.get(
                browser,
                "/logout?" + HostedUiIT.form(ordered("client_id", CLIENT_ID, "logout_uri", "https://evil.example/")));
        HttpResponse<String> unknownClient = server.get(
                browser,
                "/logout?"
                        + HostedUiIT.form(ordered("client_id", "nosuch", "logout_uri", HostedUiTestServer.SIGNED_OUT)));

        for (HttpResponse<String> response : List.of(evil, unknownClient)) {
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.headers().firstValue("Location")).isEmpty();
        }
        assertThat(HostedUiTestServer.callbackParams(
                        server.get(browser, "/oauth2/authorize?" + server.authorizeQuery(Map.of()))))
                .containsKey("code");
    }

    @Test
    void logoutWithARedirectUriSignsInAgain() throws Exception {
        server.signIn(browser, server.authorizeQuery(Map.of()), "alice", PASSWORD);

        HttpResponse<String> logout = server.get(browser, "/logout?" + server.authorizeQuery(Map.of()));

        assertThat(logout.statusCode()).isEqualTo(302);
        String next = logout.headers().firstValue("Location").orElseThrow();
        assertThat(next).startsWith("/oauth2/authorize?");
        assertThat(server.get(browser, next).headers().firstValue("Location").orElseThrow())
                .startsWith("/login?");
    }

    @Test
    void discoveryListsTheHostedUiEndpoints() throws Exception {
        JsonNode doc = JSON.readTree(server.get(browser, "/" + POOL_ID + "/.well-known/openid-configuration")
                .body());

        assertThat(doc.path("authorization_endpoint").asText()).isEqualTo(server.base + "/oauth2/authorize");
        assertThat(doc.path("token_endpoint").asText()).isEqualTo(server.base + "/oauth2/token");
        assertThat(doc.path("userinfo_endpoint").asText()).isEqualTo(server.base + "/oauth2/userInfo");
        assertThat(doc.path("end_session_endpoint").asText()).isEqualTo(server.base + "/logout");
        assertThat(doc.path("revocation_endpoint").asText()).isEqualTo(server.base + "/oauth2/revoke");
        assertThat(doc.path("code_challenge_methods_supported").toString()).isEqualTo("[\"S256\"]");
    }

    // --- helpers ---

    private HttpResponse<String> submitNewPassword(
            String query, HttpResponse<String> page, String password, String confirmation) throws Exception {
        java.util.regex.Matcher session = java.util.regex.Pattern.compile("name=\"session\" value=\"([^\"]+)\"")
                .matcher(page.body());
        assertThat(session.find()).isTrue();
        return server.post(
                browser,
                "/login?" + query,
                null,
                ordered(
                        "_csrf",
                        HostedUiTestServer.csrf(page),
                        "session",
                        session.group(1),
                        "username",
                        "bob",
                        "newPassword",
                        password,
                        "confirmPassword",
                        confirmation));
    }

    private void assertAuthorizeError(Map<String, String> overrides, String error) throws Exception {
        HttpResponse<String> response = server.get(browser, "/oauth2/authorize?" + server.authorizeQuery(overrides));
        assertThat(response.statusCode()).as("%s", overrides).isEqualTo(302);
        assertThat(HostedUiTestServer.callbackParams(response))
                .as("%s", overrides)
                .containsEntry("error", error)
                .containsEntry("state", "st")
                .doesNotContainKey("code");
    }

    /** Signs alice in and returns the code (no PKCE). */
    private String code(Map<String, String> overrides) throws Exception {
        HttpResponse<String> response = server.signIn(
                HostedUiTestServer.browser(),
                server.authorizeQuery(overrides == null ? Map.of() : overrides),
                "alice",
                PASSWORD);
        return HostedUiTestServer.callbackParams(response).get("code");
    }

    private HttpResponse<String> redeem(String code, String verifier) throws Exception {
        Map<String, String> form = ordered(
                "grant_type", "authorization_code", "client_id", CLIENT_ID, "code", code, "redirect_uri", CALLBACK);
        if (verifier != null) {
            form.put("code_verifier", verifier);
        }
        return server.post(HttpClient.newHttpClient(), "/oauth2/token", null, form);
    }

    private void assertTokenError(Map<String, String> form, String authorization, int status, String error)
            throws Exception {
        HttpResponse<String> response = server.post(HttpClient.newHttpClient(), "/oauth2/token", authorization, form);
        assertThat(response.statusCode()).as("%s", form).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(JSON.readTree(response.body()).path("error").asText())
                .as("%s", form)
                .isEqualTo(error);
        if (status == 401) {
            assertThat(response.headers().firstValue("WWW-Authenticate")).isPresent();
        }
    }

    private HttpResponse<String> userInfo(String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.base + "/oauth2/userInfo"))
                .GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String basic(String id, String secret) {
        return "Basic "
                + Base64.getEncoder()
                        .encodeToString((id + ":" + secret).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
