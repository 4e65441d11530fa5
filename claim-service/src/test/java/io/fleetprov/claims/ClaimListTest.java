package io.fleetprov.claims;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GET /v1/claims?mine=true: the caller's own claims, newest first, in cursor pages; never another installer's. */
@QuarkusTest
class ClaimListTest {

    @Test
    void pagesThroughOwnClaimsNewestFirst() {
        String alice = ClaimServiceEmulator.installer();
        List<String> serials = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String serial = Claims.serial();
            Claims.issue(alice, serial);
            serials.add(0, serial);
        }

        JsonPath first = list(alice, null, 2).statusCode(200).extract().jsonPath();
        assertThat(first.getList("items.serialNumber")).containsExactly(serials.get(0), serials.get(1));
        assertThat(first.getList("items.status")).containsOnly("ISSUED");
        assertThat(first.getString("items[0].issuedAt")).isNotNull();
        assertThat(first.getString("items[0].expiresAt")).isNotNull();
        assertThat(first.getMap("items[0]")).doesNotContainKeys("privateKey", "certificatePem");
        String cursor = first.getString("nextCursor");
        assertThat(cursor).isNotBlank();

        JsonPath second = list(alice, cursor, 2).statusCode(200).extract().jsonPath();
        assertThat(second.getList("items.serialNumber")).containsExactly(serials.get(2));
        assertThat(second.getString("nextCursor")).isNull();
    }

    @Test
    void anotherInstallerSeesNoneOfTheClaimsNeitherByListNorById() {
        String alice = ClaimServiceEmulator.installer();
        String bob = ClaimServiceEmulator.installer();
        String older = Claims.serial();
        Claims.issue(alice, older);
        String serial = Claims.serial();
        String claimId = (String) Claims.issue(alice, serial).get("certificateId");
        JsonPath alicePage = list(alice, null, 1).statusCode(200).extract().jsonPath();

        list(bob, null, 100).statusCode(200).body("items.size()", equalTo(0)).body("nextCursor", nullValue());
        // Alice's cursor in Bob's hands still pages through Bob's claims only.
        String aliceCursor = alicePage.getString("nextCursor");
        assertThat(aliceCursor).isNotNull();
        list(bob, aliceCursor, 100).statusCode(200).body("items.size()", equalTo(0));
        list(bob, cursorAfterEverything(), 100).statusCode(200).body("items.size()", equalTo(0));
        Claims.get(bob, claimId).statusCode(404).contentType("application/problem+json");

        // Nothing Alice was given is lost by Bob's attempts.
        list(alice, null, 100).statusCode(200).body("items.serialNumber", equalTo(List.of(serial, older)));
        Claims.get(alice, claimId).statusCode(200).body("status", equalTo("ISSUED"));
    }

    @Test
    void mineIsRequiredAndBadCursorsAndLimitsAreProblems() {
        String carol = ClaimServiceEmulator.installer();
        given().auth()
                .oauth2(Tokens.of(carol))
                .get("/v1/claims")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", equalTo("mine=true is required"));
        list(carol, "not a cursor!", 10).statusCode(400).contentType("application/problem+json");
        list(carol, "x".repeat(4000), 10).statusCode(400).contentType("application/problem+json");
        list(carol, null, 0).statusCode(400).contentType("application/problem+json");
        list(carol, null, 101).statusCode(400).contentType("application/problem+json");
        given().get("/v1/claims?mine=true").then().statusCode(401).contentType("application/problem+json");
        given().auth()
                .oauth2(Tokens.of("dave-auditor"))
                .get("/v1/claims?mine=true")
                .then()
                .statusCode(403);
    }

    /** A well-formed cursor pointing past every claim, as someone forging one would write it. */
    private static String cursorAfterEverything() {
        String clear = "4102444800.0.00000000-0000-0000-0000-000000000000";
        return Base64.getUrlEncoder().withoutPadding().encodeToString(clear.getBytes());
    }

    private static io.restassured.response.ValidatableResponse list(String user, String cursor, int limit) {
        var spec = given().auth()
                .oauth2(Tokens.of(user))
                .queryParam("mine", "true")
                .queryParam("limit", limit);
        if (cursor != null) {
            spec.queryParam("cursor", cursor);
        }
        return spec.get("/v1/claims").then();
    }
}
