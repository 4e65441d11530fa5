package io.fleetprov.emulator.cognito.hostedui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.fleetprov.emulator.EmulatorConfig;
import io.fleetprov.emulator.IotEmulator;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The authorization-code flow with PKCE against a running emulator (strict SigV4, so the hosted UI is shown to need
 * no signature), driven like a browser and a relying party would, with plain java.net.http: authorize → sign-in form →
 * code → tokens verified against the JWKS from discovery → userInfo → second authorize without the form → logout.
 */
class HostedUiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POOL_ID = "us-east-1_HostedUi1";
    private static final String CLIENT_ID = "hosteduiapp";
    private static final String CALLBACK = "http://localhost:9/callback";
    private static final String SIGNED_OUT = "http://localhost:9/signed-out";
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @TempDir
    static Path dir;

    private static IotEmulator emulator;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        Path seed = dir.resolve("seed.json");
        Files.writeString(seed, """
                {"userPools": [{
                  "id": "%s", "name": "installers",
                  "clients": [{"clientId": "%s", "clientName": "installer-app",
                               "callbackURLs": ["%s"], "logoutURLs": ["%s"],
                               "allowedOAuthFlows": ["code"], "allowedOAuthScopes": ["openid", "email", "profile"]}],
                  "groups": ["installer"],
                  "users": [{"username": "alice", "password": "Installer-Passw0rd!", "groups": ["installer"],
                             "attributes": {"email": "alice@example.com", "email_verified": "true"}}]
                }]}
                """.formatted(POOL_ID, CLIENT_ID, CALLBACK, SIGNED_OUT));
        emulator = IotEmulator.start(EmulatorConfig.builder()
                .forTests()
                .seedFile(seed)
                .accessKey("AKIDHOSTEDUI", "hosted-ui-secret")
                .build());
        base = emulator.httpUrl();
    }

    @AfterAll
    static void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    void codeFlowWithPkceFromSignInToLogout() throws Exception {
        HttpClient browser = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        String verifier = verifier();
        String challenge = Pkce.s256(verifier);
        String authorize = base + "/oauth2/authorize?"
                + form(ordered(
                        "response_type", "code",
                        "client_id", CLIENT_ID,
                        "redirect_uri", CALLBACK,
                        "scope", "openid email profile",
                        "state", "st-1",
                        "nonce", "n-1",
                        "code_challenge", challenge,
                        "code_challenge_method", "S256"));

        // authorize → the sign-in page
        HttpResponse<String> toLogin = get(browser, authorize);
        assertThat(toLogin.statusCode()).isEqualTo(302);
        String loginUrl = base + toLogin.headers().firstValue("Location").orElseThrow();
        assertThat(loginUrl).startsWith(base + "/login?");
        HttpResponse<String> page = get(browser, loginUrl);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("default-src 'none'")
                .contains("form-action 'self' http://localhost:9");
        assertThat(page.body()).contains("<label for=\"username\">").doesNotContain("<script", "style=");

        // the form → a code for the callback, with the state
        HttpResponse<String> signedIn = post(
                browser,
                loginUrl,
                null,
                ordered("_csrf", csrf(page), "username", "alice", "password", "Installer-Passw0rd!"));
        assertThat(signedIn.statusCode()).isEqualTo(302);
        Map<String, String> callback = callbackParams(signedIn);
        assertThat(callback).containsEntry("state", "st-1").containsKey("code");

        // the relying party exchanges the code (a public client: client_id in the body, no secret)
        HttpClient rp = HttpClient.newHttpClient();
        Map<String, String> exchange = ordered(
                "grant_type", "authorization_code",
                "client_id", CLIENT_ID,
                "code", callback.get("code"),
                "redirect_uri", CALLBACK,
                "code_verifier", verifier);
        HttpResponse<String> tokenResponse = post(rp, base + "/oauth2/token", null, exchange);
        assertThat(tokenResponse.statusCode()).isEqualTo(200);
        assertThat(tokenResponse.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode tokens = JSON.readTree(tokenResponse.body());
        assertThat(tokens.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(tokens.path("expires_in").asInt()).isEqualTo(3600);

        // verified the way a resource server does: discovery → JWKS → signature, issuer, expiry
        JsonNode discovery = JSON.readTree(get(rp, base + "/" + POOL_ID + "/.well-known/openid-configuration")
                .body());
        assertThat(discovery.path("authorization_endpoint").asText()).isEqualTo(base + "/oauth2/authorize");
        assertThat(discovery.path("token_endpoint").asText()).isEqualTo(base + "/oauth2/token");
        assertThat(discovery.path("code_challenge_methods_supported").toString())
                .contains("S256");
        DefaultJWTProcessor<SecurityContext> verifierOfTokens = processor(
                get(rp, discovery.path("jwks_uri").asText()).body(),
                discovery.path("issuer").asText());
        JWTClaimsSet id = verifierOfTokens.process(tokens.path("id_token").asText(), null);
        assertThat(id.getAudience()).containsExactly(CLIENT_ID);
        assertThat(id.getStringClaim("token_use")).isEqualTo("id");
        assertThat(id.getStringClaim("nonce")).isEqualTo("n-1");
        assertThat(id.getStringClaim("cognito:username")).isEqualTo("alice");
        assertThat(id.getStringClaim("email")).isEqualTo("alice@example.com");
        assertThat(id.getStringListClaim("cognito:groups")).containsExactly("installer");
        JWTClaimsSet access =
                verifierOfTokens.process(tokens.path("access_token").asText(), null);
        assertThat(access.getStringClaim("token_use")).isEqualTo("access");
        assertThat(access.getStringClaim("client_id")).isEqualTo(CLIENT_ID);
        assertThat(access.getStringClaim("username")).isEqualTo("alice");
        assertThat(access.getStringClaim("scope")).isEqualTo("openid email profile");
        assertThat(access.getSubject()).isEqualTo(id.getSubject());

        // a code is good once; the replay is refused and the tokens it gave stay good
        HttpResponse<String> replay = post(rp, base + "/oauth2/token", null, exchange);
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(replay.body()).path("error").asText()).isEqualTo("invalid_grant");

        HttpResponse<String> userInfo = rp.send(
                HttpRequest.newBuilder(URI.create(base + "/oauth2/userInfo"))
                        .header(
                                "Authorization",
                                "Bearer " + tokens.path("access_token").asText())
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(userInfo.statusCode()).isEqualTo(200);
        JsonNode info = JSON.readTree(userInfo.body());
        assertThat(info.path("sub").asText()).isEqualTo(id.getSubject());
        assertThat(info.path("username").asText()).isEqualTo("alice");
        assertThat(info.path("email").asText()).isEqualTo("alice@example.com");
        assertThat(info.path("email_verified").asText()).isEqualTo("true");

        HttpResponse<String> refreshed = post(
                rp,
                base + "/oauth2/token",
                null,
                ordered(
                        "grant_type",
                        "refresh_token",
                        "client_id",
                        CLIENT_ID,
                        "refresh_token",
                        tokens.path("refresh_token").asText()));
        assertThat(refreshed.statusCode()).isEqualTo(200);
        JWTClaimsSet refreshedAccess = verifierOfTokens.process(
                JSON.readTree(refreshed.body()).path("access_token").asText(), null);
        assertThat(refreshedAccess.getStringClaim("scope")).isEqualTo("openid email profile");
        assertThat(JSON.readTree(refreshed.body()).has("refresh_token")).isFalse();

        // the hosted-UI session: a second authorization skips the form
        HttpResponse<String> again = get(browser, authorize.replace("st-1", "st-2"));
        assertThat(again.statusCode()).isEqualTo(302);
        assertThat(callbackParams(again)).containsEntry("state", "st-2").containsKey("code");

        // logout ends it and goes to a registered logout URL
        HttpResponse<String> logout =
                get(browser, base + "/logout?" + form(ordered("client_id", CLIENT_ID, "logout_uri", SIGNED_OUT)));
        assertThat(logout.statusCode()).isEqualTo(302);
        assertThat(logout.headers().firstValue("Location")).hasValue(SIGNED_OUT);
        HttpResponse<String> afterLogout = get(browser, authorize);
        assertThat(afterLogout.statusCode()).isEqualTo(302);
        assertThat(afterLogout.headers().firstValue("Location").orElseThrow()).startsWith("/login?");
    }

    @Test
    void unregisteredRedirectUriGetsAnErrorPageNotARedirect() throws Exception {
        HttpClient browser = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        HttpResponse<String> response = get(
                browser,
                base + "/oauth2/authorize?"
                        + form(ordered(
                                "response_type", "code",
                                "client_id", CLIENT_ID,
                                "redirect_uri", "https://attacker.example/callback",
                                "state", "s")));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Location")).isEmpty();
        assertThat(response.body()).contains("redirect_mismatch").doesNotContain("attacker.example");
    }

    private static DefaultJWTProcessor<SecurityContext> processor(String jwks, String issuer) throws Exception {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(
                new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, new ImmutableJWKSet<>(JWKSet.parse(jwks))));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "exp", "iat", "token_use")));
        return processor;
    }

    private static Map<String, String> callbackParams(HttpResponse<String> redirect) {
        String location = redirect.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(CALLBACK + "?");
        return UrlEncodedParams.parse(URI.create(location).getRawQuery());
    }

    private static String csrf(HttpResponse<String> page) {
        Matcher m = CSRF.matcher(page.body());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private static String verifier() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static Map<String, String> ordered(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    static String form(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    static HttpResponse<String> get(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(HttpClient client, String url, String authorization, Map<String, String> params)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(params)));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
