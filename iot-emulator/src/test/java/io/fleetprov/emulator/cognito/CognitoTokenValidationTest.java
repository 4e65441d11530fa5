package io.fleetprov.emulator.cognito;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthenticationResultType;

/** Tokens checked the way a resource server does: discovery → JWKS over HTTP → nimbus verification. */
class CognitoTokenValidationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POOL_ID = "us-east-1_Fleet0001";
    private static final String CLIENT_ID = "fleetprovinstallerapp00001";

    private CognitoTestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void start() throws Exception {
        server = seededServer(null, Clock.systemUTC());
    }

    @Test
    void discoveryDocumentPointsAtTheServedJwks() throws Exception {
        JsonNode config = openIdConfiguration(server, POOL_ID);

        assertThat(config.get("issuer").asText()).isEqualTo(server.baseUrl + "/" + POOL_ID);
        assertThat(config.get("jwks_uri").asText())
                .isEqualTo(server.baseUrl + "/" + POOL_ID + "/.well-known/jwks.json");
        assertThat(config.get("subject_types_supported").toString()).isEqualTo("[\"public\"]");
        assertThat(config.get("id_token_signing_alg_values_supported").toString())
                .isEqualTo("[\"RS256\"]");
        assertThat(config.has("authorization_endpoint")).isTrue();
        assertThat(config.has("token_endpoint")).isTrue();
        assertThat(config.get("response_types_supported").isArray()).isTrue();

        JWKSet jwks = fetchJwks(server, POOL_ID);
        assertThat(jwks.getKeys()).singleElement().satisfies(key -> {
            assertThat(key).isInstanceOf(RSAKey.class);
            assertThat(key.isPrivate()).isFalse();
            assertThat(key.getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
            assertThat(key.getKeyUse().identifier()).isEqualTo("sig");
            assertThat(((RSAKey) key).size()).isEqualTo(2048);
        });
    }

    @Test
    void idTokenVerifiesAndCarriesCognitoClaims() throws Exception {
        AuthenticationResultType tokens = signIn(server.sdk(), "alice", "Correct-horse-1");
        String issuer = server.baseUrl + "/" + POOL_ID;

        JWTClaimsSet id = verify(tokens.idToken(), fetchJwks(server, POOL_ID), issuer, "id");

        assertThat(id.getAudience()).containsExactly(CLIENT_ID);
        assertThat(id.getStringClaim("cognito:username")).isEqualTo("alice");
        assertThat(id.getStringClaim("email")).isEqualTo("alice@example.com");
        assertThat(id.getBooleanClaim("email_verified")).isTrue();
        // Ordered by group precedence, not by the order of joining.
        assertThat(id.getStringListClaim("cognito:groups")).containsExactly("admins", "installers");
        assertThat(id.getSubject()).isEqualTo(sub("alice"));
        assertThat(Duration.between(
                        id.getIssueTime().toInstant(), id.getExpirationTime().toInstant()))
                .hasHours(1);
        assertThat(id.getLongClaim("auth_time"))
                .isEqualTo(id.getIssueTime().toInstant().getEpochSecond());
        assertThat(id.getJWTID()).isNotBlank();
        assertThat(id.getStringClaim("event_id")).isNotBlank();
        assertThat(SignedJWT.parse(tokens.idToken()).getHeader().getKeyID())
                .isEqualTo(fetchJwks(server, POOL_ID).getKeys().get(0).getKeyID());
    }

    @Test
    void accessTokenHasClientIdAndScopeButNoAudience() throws Exception {
        AuthenticationResultType tokens = signIn(server.sdk(), "alice", "Correct-horse-1");

        JWTClaimsSet access =
                verify(tokens.accessToken(), fetchJwks(server, POOL_ID), server.baseUrl + "/" + POOL_ID, "access");

        assertThat(access.getAudience()).isEmpty();
        assertThat(access.getStringClaim("client_id")).isEqualTo(CLIENT_ID);
        assertThat(access.getStringClaim("scope")).isEqualTo("aws.cognito.signin.user.admin");
        assertThat(access.getStringClaim("username")).isEqualTo("alice");
        assertThat(access.getStringListClaim("cognito:groups")).containsExactly("admins", "installers");
        assertThat(access.getSubject()).isEqualTo(sub("alice"));
        assertThat(access.getClaim("email")).isNull();
    }

    @Test
    void usersWithoutGroupsGetNoGroupsClaimAndAStableSub() throws Exception {
        server.cognito.users().adminCreateUser(POOL_ID, "bob", null, Map.of());
        server.cognito.users().adminSetUserPassword(POOL_ID, "bob", "Correct-horse-2", true);

        JWTClaimsSet first = verify(
                signIn(server.sdk(), "bob", "Correct-horse-2").idToken(),
                fetchJwks(server, POOL_ID),
                server.baseUrl + "/" + POOL_ID,
                "id");
        JWTClaimsSet second = verify(
                signIn(server.sdk(), "bob", "Correct-horse-2").idToken(),
                fetchJwks(server, POOL_ID),
                server.baseUrl + "/" + POOL_ID,
                "id");

        assertThat(first.getClaims()).doesNotContainKey("cognito:groups").doesNotContainKey("email");
        assertThat(first.getSubject()).isEqualTo(second.getSubject()).isEqualTo(sub("bob"));
        assertThat(first.getJWTID()).isNotEqualTo(second.getJWTID());
    }

    @Test
    void refreshedTokensKeepAuthTimeAndVerify() throws Exception {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
        Clock clock = ((InstantSource) now::get).withZone(ZoneOffset.UTC);
        server.close();
        server = seededServer(null, clock);
        AuthenticationResultType tokens = signIn(server.sdk(), "alice", "Correct-horse-1");
        now.updateAndGet(t -> t.plus(Duration.ofMinutes(10)));

        AuthenticationResultType refreshed = server.sdk()
                .initiateAuth(r -> r.clientId(CLIENT_ID)
                        .authFlow(AuthFlowType.REFRESH_TOKEN_AUTH)
                        .authParameters(Map.of("REFRESH_TOKEN", tokens.refreshToken())))
                .authenticationResult();

        JWTClaimsSet before = SignedJWT.parse(tokens.idToken()).getJWTClaimsSet();
        JWTClaimsSet after =
                verify(refreshed.idToken(), fetchJwks(server, POOL_ID), server.baseUrl + "/" + POOL_ID, "id");
        assertThat(after.getLongClaim("auth_time")).isEqualTo(before.getLongClaim("auth_time"));
        assertThat(after.getIssueTime()).isAfter(before.getIssueTime());
    }

    @Test
    void tamperedTokenFailsVerification() throws Exception {
        AuthenticationResultType tokens = signIn(server.sdk(), "alice", "Correct-horse-1");
        SignedJWT original = SignedJWT.parse(tokens.idToken());
        Map<String, Object> forged =
                new java.util.LinkedHashMap<>(original.getPayload().toJSONObject());
        forged.put("cognito:username", "mallory");
        String tampered = original.getHeader().toBase64URL() + "."
                + Base64URL.encode(JSON.writeValueAsString(forged).getBytes(StandardCharsets.UTF_8)) + "."
                + original.getSignature();

        JWKSet jwks = fetchJwks(server, POOL_ID);
        String issuer = server.baseUrl + "/" + POOL_ID;
        assertThat(verify(tokens.idToken(), jwks, issuer, "id").getStringClaim("cognito:username"))
                .isEqualTo("alice");
        assertThatThrownBy(() -> verify(tampered, jwks, issuer, "id")).isInstanceOf(BadJOSEException.class);
        // An ID token is not an access token: token_use is checked too.
        assertThatThrownBy(() -> verify(tokens.idToken(), jwks, issuer, "access"))
                .isInstanceOf(BadJWTException.class);
    }

    @Test
    void expiredTokenFailsVerification() throws Exception {
        server.close();
        server = seededServer(null, Clock.offset(Clock.systemUTC(), Duration.ofHours(-2)));
        AuthenticationResultType tokens = signIn(server.sdk(), "alice", "Correct-horse-1");

        assertThatThrownBy(() ->
                        verify(tokens.idToken(), fetchJwks(server, POOL_ID), server.baseUrl + "/" + POOL_ID, "id"))
                .isInstanceOf(BadJWTException.class)
                .hasMessageContaining("xpired");
    }

    @Test
    void signingKeySurvivesRestartWithDataDir(@TempDir Path dataDir) throws Exception {
        server.close();
        server = seededServer(dataDir, Clock.systemUTC());
        String token = signIn(server.sdk(), "alice", "Correct-horse-1").idToken();
        String issuer = server.baseUrl + "/" + POOL_ID;
        String kid = fetchJwks(server, POOL_ID).getKeys().get(0).getKeyID();
        server.close();

        Path keyFile = dataDir.resolve("cognito").resolve(POOL_ID + ".jwk.json");
        assertThat(keyFile).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
                .isEqualTo("rw-------");

        server = seededServer(dataDir, Clock.systemUTC());
        JWKSet after = fetchJwks(server, POOL_ID);
        assertThat(after.getKeys().get(0).getKeyID()).isEqualTo(kid);
        assertThat(verify(token, after, issuer, "id").getStringClaim("cognito:username"))
                .isEqualTo("alice");
    }

    @Test
    void withoutDataDirARestartInvalidatesOldTokens() throws Exception {
        String token = signIn(server.sdk(), "alice", "Correct-horse-1").idToken();
        String issuer = server.baseUrl + "/" + POOL_ID;
        server.close();

        server = seededServer(null, Clock.systemUTC());
        JWKSet fresh = fetchJwks(server, POOL_ID);
        assertThatThrownBy(() -> verify(token, fresh, issuer, "id")).isInstanceOf(BadJOSEException.class);
    }

    @Test
    void eachPoolHasItsOwnKey() throws Exception {
        UserPool other = server.cognito.pools().createUserPool("other");
        assertThat(fetchJwks(server, other.id()).getKeys().get(0).getKeyID())
                .isNotEqualTo(fetchJwks(server, POOL_ID).getKeys().get(0).getKeyID());
        String token = signIn(server.sdk(), "alice", "Correct-horse-1").idToken();
        assertThatThrownBy(() -> verify(token, fetchJwks(server, other.id()), server.baseUrl + "/" + POOL_ID, "id"))
                .isInstanceOf(BadJOSEException.class);
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    private String sub(String username) {
        return server.cognito.users().adminGetUser(POOL_ID, username).sub();
    }

    /** A pool seeded the way the emulator's seed file does it: fixed ids, so a data dir can be reused. */
    private static CognitoTestServer seededServer(Path dataDir, Clock clock) throws Exception {
        CognitoTestServer s = new CognitoTestServer(dataDir, clock);
        CognitoUserPools cognito = s.cognito;
        cognito.pools().createUserPool(POOL_ID, "fleet");
        cognito.pools().createAppClient(POOL_ID, CLIENT_ID, "installer-app");
        cognito.users().createGroup(POOL_ID, "installers", null, 20);
        cognito.users().createGroup(POOL_ID, "admins", null, 1);
        cognito.users()
                .adminCreateUser(
                        POOL_ID,
                        "alice",
                        "Temp-pass-1",
                        Map.of("email", "alice@example.com", "email_verified", "true"));
        cognito.users().adminSetUserPassword(POOL_ID, "alice", "Correct-horse-1", true);
        cognito.users().adminAddUserToGroup(POOL_ID, "alice", "installers");
        cognito.users().adminAddUserToGroup(POOL_ID, "alice", "admins");
        return s;
    }

    private static AuthenticationResultType signIn(CognitoIdentityProviderClient sdk, String user, String password) {
        return sdk.initiateAuth(r -> r.clientId(CLIENT_ID)
                        .authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                        .authParameters(Map.of("USERNAME", user, "PASSWORD", password)))
                .authenticationResult();
    }

    private static JsonNode openIdConfiguration(CognitoTestServer s, String poolId) throws Exception {
        HttpResponse<String> response = s.get("/" + poolId + "/.well-known/openid-configuration");
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** Fetched like a resource server would: through the discovery document's jwks_uri. */
    private static JWKSet fetchJwks(CognitoTestServer s, String poolId) throws Exception {
        String jwksUri = openIdConfiguration(s, poolId).get("jwks_uri").asText();
        HttpResponse<String> response = s.get(jwksUri);
        assertThat(response.statusCode()).isEqualTo(200);
        return JWKSet.parse(response.body());
    }

    private static JWTClaimsSet verify(String token, JWKSet jwks, String issuer, String tokenUse) throws Exception {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, new ImmutableJWKSet<>(jwks)));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                new JWTClaimsSet.Builder()
                        .issuer(issuer)
                        .claim("token_use", tokenUse)
                        .build(),
                Set.of("sub", "iat", "exp", "auth_time", "jti", "event_id")));
        return processor.process(token, null);
    }
}
