package io.fleetprov.audit.testing;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.ConfigProvider;

/** Real access tokens from the emulator's user pool, by Cognito's InitiateAuth (USER_PASSWORD_AUTH) on the wire. */
public final class Tokens {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();
    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    private Tokens() {}

    public static String accessToken(String username) {
        return CACHE.computeIfAbsent(username, Tokens::signIn);
    }

    public static String auditor() {
        return accessToken(Users.AUDITOR);
    }

    private static String signIn(String username) {
        return signIn(ConfigProvider.getConfig().getValue("fleetprov.emulator.http.url", String.class), username);
    }

    /** Signs in at the emulator's Cognito endpoint {@code emulatorHttpUrl}, for tests outside a Quarkus app. */
    public static String signIn(String emulatorHttpUrl, String username) {
        String clientId = Users.CLIENT_ID;
        return given().baseUri(emulatorHttpUrl)
                .header("X-Amz-Target", "AWSCognitoIdentityProviderService.InitiateAuth")
                .contentType("application/x-amz-json-1.1")
                .body(JSON.valueToTree(Map.of(
                                "AuthFlow",
                                "USER_PASSWORD_AUTH",
                                "ClientId",
                                clientId,
                                "AuthParameters",
                                Map.of("USERNAME", username, "PASSWORD", Users.PASSWORD)))
                        .toString()
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/")
                .then()
                .statusCode(200)
                .extract()
                .path("AuthenticationResult.AccessToken");
    }
}
