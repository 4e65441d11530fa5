package io.fleetprov.claims;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who may do what: tokens from the emulator's Cognito user pool, groups as roles. */
@QuarkusTest
class AuthorizationTest {

    private static final String ALICE = ClaimServiceEmulator.installer();

    @Test
    void withoutTokenIs401Problem() {
        given().contentType(ContentType.JSON)
                .body(Map.of("serialNumber", "SN-1"))
                .post("/v1/claims")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("status", equalTo(401))
                .body("title", equalTo("Unauthorized"));
    }

    @Test
    void garbageTokenIs401() {
        given().auth()
                .oauth2("not.a.jwt")
                .contentType(ContentType.JSON)
                .body(Map.of("serialNumber", "SN-1"))
                .post("/v1/claims")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void expiredTokenIs401() {
        // Signed by the pool two hours ago: valid signature, issuer and groups, but expired.
        ClaimServiceEmulator.CLOCK.advance(Duration.ofHours(-2));
        String expired;
        try {
            expired = Tokens.signIn(ClaimServiceEmulator.installer());
        } finally {
            ClaimServiceEmulator.CLOCK.advance(Duration.ofHours(2));
        }
        given().auth()
                .oauth2(expired)
                .contentType(ContentType.JSON)
                .body(Map.of("serialNumber", "SN-1"))
                .post("/v1/claims")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void userOutsideInstallerGroupIs403() {
        Claims.request("dave-auditor", Claims.serial())
                .statusCode(403)
                .contentType("application/problem+json")
                .body("status", equalTo(403));
        Claims.get("dave-auditor", "0".repeat(64)).statusCode(403);
    }

    @Test
    void templateNotAllowedForGroupIs403() {
        Claims.request(ALICE, Claims.serial(), ClaimServiceEmulator.RESTRICTED_TEMPLATE, null)
                .statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("https://fleetprov.io/problems/forbidden-template"));
    }

    @Test
    void invalidSerialIs400() {
        Claims.request(ALICE, "bad serial/../x")
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://fleetprov.io/problems/invalid-input"));
        Claims.request(ALICE, "S".repeat(65)).statusCode(400);
        given().auth()
                .oauth2(Tokens.of(ALICE))
                .contentType(ContentType.JSON)
                .body("{not json")
                .post("/v1/claims")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void claimIsVisibleToItsInstallerAndAdminsOnly() {
        String alice = ClaimServiceEmulator.installer();
        String bob = ClaimServiceEmulator.installer();
        String serial = Claims.serial();
        String certificateId = (String) Claims.issue(alice, serial).get("certificateId");

        Claims.get(alice, certificateId)
                .statusCode(200)
                .body("status", equalTo("ISSUED"))
                .body("serialNumber", equalTo(serial));
        Claims.get("carol-admin", certificateId).statusCode(200).body("serialNumber", equalTo(serial));
        Claims.get(bob, certificateId).statusCode(404).contentType("application/problem+json");
    }
}
