package io.fleetprov.claims;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.fleetprov.claims.rest.VerifiedBearerTokens;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.cognito.UserDirectory;
import io.fleetprov.testing.quarkus.InjectIotEmulator;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderAsyncClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;

/**
 * Verified bearer tokens are remembered (rest.VerifiedBearerTokens), and that changes nothing about which tokens are
 * refused: with a genuine token in the cache, an altered copy of it, the same user's token from another pool of the
 * same emulator or from another app client of the pool, and the genuine token itself once expired are all 401; the
 * genuine token and the claims it obtained are still there afterwards.
 */
@QuarkusTest
class BearerTokenCacheTest {

    @InjectIotEmulator
    IotEmulator emulator;

    @Inject
    VerifiedBearerTokens cache;

    private static ValidatableResponse claim(String token) {
        return given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of("serialNumber", Claims.serial()))
                .post("/v1/claims")
                .then();
    }

    @Test
    void aRepeatedTokenIsAnsweredFromTheCacheAsTheSameInstaller() {
        String installer = ClaimServiceEmulator.installer();
        String token = Tokens.signIn(installer);
        String first = claim(token).statusCode(201).extract().path("certificateId");
        long hits = cache.hits();

        String second = claim(token).statusCode(201).extract().path("certificateId");

        assertThat(cache.hits()).isGreaterThan(hits);
        // Both claims are this installer's, the second one (answered from the cache) included.
        for (String certificateId : new String[] {first, second}) {
            given().auth()
                    .oauth2(token)
                    .get("/v1/claims/" + certificateId)
                    .then()
                    .statusCode(200)
                    .body("installer", equalTo(subject(token)));
        }
    }

    @Test
    void alteredCopiesOfACachedTokenAreRefused() {
        String installer = ClaimServiceEmulator.installer();
        String token = Tokens.signIn(installer);
        String accepted = claim(token).statusCode(201).extract().path("certificateId");
        claim(token).statusCode(201);
        String[] parts = token.split("\\.");

        String otherPayload = parts[0] + "." + reencode(parts[1], "\"exp\":", "\"exp\":1") + "." + parts[2];
        String otherSignature = parts[0] + "." + parts[1] + "." + flipMiddle(parts[2]);
        String unsigned = encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";
        String appended = token + "A";
        for (String forged : new String[] {otherPayload, otherSignature, unsigned, appended}) {
            claim(forged).statusCode(401).contentType("application/problem+json");
        }

        claim(token).statusCode(201);
        given().auth().oauth2(token).get("/v1/claims/" + accepted).then().statusCode(200);
    }

    @Test
    void theSameUsersTokenFromAnotherPoolOrAppClientIsRefused() {
        String installer = ClaimServiceEmulator.installer();
        String token = Tokens.signIn(installer);
        claim(token).statusCode(201);
        claim(token).statusCode(201);
        // Another pool of the same emulator, with a user of the same name in a group named installer, signed in
        // through that pool's own app client.
        String otherPool =
                emulator.cognito().pools().createUserPool("other-pool").id();
        String clientId = emulator.cognito()
                .pools()
                .createAppClient(otherPool, freshClientId(), "other-pool-installer-app")
                .clientId();
        UserDirectory users = emulator.cognito().users();
        users.createGroup(otherPool, "installer");
        users.adminCreateUser(otherPool, installer, null, Map.of());
        users.adminSetUserPassword(otherPool, installer, ClaimServiceEmulator.PASSWORD, true);
        users.adminAddUserToGroup(otherPool, installer, "installer");
        String foreign = signIn(clientId, installer);

        // And the same user's token through another app client of the service's own pool.
        String otherClient = emulator.cognito()
                .pools()
                .createAppClient(Replacers.poolId(), freshClientId(), "another-app-after-cache")
                .clientId();
        String otherApp = signIn(otherClient, installer);

        claim(foreign).statusCode(401).contentType("application/problem+json");
        claim(otherApp).statusCode(401).contentType("application/problem+json");

        claim(token).statusCode(201);
    }

    @Test
    void aCachedTokenIsRefusedOnceItHasExpired() throws InterruptedException {
        String installer = ClaimServiceEmulator.installer();
        // Issued by the pool so long ago that it expires a few seconds from now (the pool's tokens last an hour).
        String token = Tokens.signIn(installer);
        long lifetime = claimOf(token, "exp") - claimOf(token, "iat");
        ClaimServiceEmulator.CLOCK.advance(Duration.ofSeconds(-(lifetime - 4)));
        String shortLived;
        try {
            shortLived = Tokens.signIn(installer);
        } finally {
            ClaimServiceEmulator.CLOCK.advance(Duration.ofSeconds(lifetime - 4));
        }
        long exp = claimOf(shortLived, "exp");
        String accepted = claim(shortLived).statusCode(201).extract().path("certificateId");
        long hits = cache.hits();
        claim(shortLived).statusCode(201);
        assertThat(cache.hits()).as("answered from the cache while valid").isGreaterThan(hits);

        while (Instant.now().getEpochSecond() <= exp + 1) {
            Thread.sleep(250);
        }
        claim(shortLived).statusCode(401).contentType("application/problem+json");

        given().auth().oauth2(token).get("/v1/claims/" + accepted).then().statusCode(200);
    }

    /** 26 lowercase alphanumerics, like Cognito's client ids; chosen here so none collides with the seeded ones. */
    private static String freshClientId() {
        return java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 26);
    }

    private static String subject(String token) {
        return payload(token).replaceAll(".*\"sub\":\"([^\"]+)\".*", "$1");
    }

    private static long claimOf(String token, String name) {
        return Long.parseLong(payload(token).replaceAll(".*\"" + name + "\":([0-9]+).*", "$1"));
    }

    private static String payload(String token) {
        return new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
    }

    private static String encode(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String reencode(String part, String find, String replace) {
        String json = new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
        assertThat(json).contains(find);
        return encode(json.replace(find, replace));
    }

    /** A character in the middle: every bit of it is part of the signature (the last one may carry padding bits). */
    private static String flipMiddle(String signature) {
        int i = signature.length() / 2;
        char c = signature.charAt(i);
        return signature.substring(0, i) + (c == 'A' ? 'B' : 'A') + signature.substring(i + 1);
    }

    private static String signIn(String clientId, String username) {
        try (CognitoIdentityProviderAsyncClient cognito = CognitoIdentityProviderAsyncClient.builder()
                .endpointOverride(URI.create(Tokens.config("fleetprov-test.cognito-url")))
                .region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .build()) {
            return cognito.initiateAuth(r -> r.authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                            .clientId(clientId)
                            .authParameters(Map.of("USERNAME", username, "PASSWORD", ClaimServiceEmulator.PASSWORD)))
                    .join()
                    .authenticationResult()
                    .accessToken();
        }
    }
}
