package io.fleetprov.claims;

import static io.restassured.RestAssured.given;

import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.cognito.CognitoUserPools;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.Map;

/** An installer who may also replace devices (group {@code device-replacers}), and replacement requests. */
final class Replacers {

    static final String GROUP = "device-replacers";
    static final String USER = "rita-replacer";

    private static boolean created;

    private Replacers() {}

    /** Creates the group and the user in the emulator's pool once per test run. */
    static synchronized String user(IotEmulator emulator) {
        if (!created) {
            String poolId = poolId();
            CognitoUserPools pools = emulator.cognito();
            pools.users().createGroup(poolId, GROUP);
            pools.users().adminCreateUser(poolId, USER, null, Map.of());
            pools.users().adminSetUserPassword(poolId, USER, ClaimServiceEmulator.PASSWORD, true);
            pools.users().adminAddUserToGroup(poolId, USER, "installer");
            pools.users().adminAddUserToGroup(poolId, USER, GROUP);
            created = true;
        }
        return USER;
    }

    /** POST /v1/claims with {@code "replace": true}. */
    static ValidatableResponse requestReplacement(String user, String serialNumber) {
        return given().auth()
                .oauth2(Tokens.of(user))
                .contentType(ContentType.JSON)
                .body(Map.of("serialNumber", serialNumber, "replace", true))
                .post("/v1/claims")
                .then();
    }

    /** The user pool's id: the last segment of the issuer the service trusts. */
    static String poolId() {
        String issuer = Tokens.config("quarkus.oidc.auth-server-url");
        return issuer.substring(issuer.lastIndexOf('/') + 1);
    }
}
