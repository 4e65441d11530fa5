package io.fleetprov.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.fleetprov.audit.testing.Tokens;
import io.fleetprov.audit.testing.Users;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every endpoint × every kind of caller, with real tokens from the emulator's Cognito user pool. */
@QuarkusTest
class AuthorizationTest {

    static Stream<Arguments> matrix() {
        String[] endpoints = {
            "/v1/devices/some-thing/provenance",
            "/v1/installers/someone/activity",
            "/v1/events",
            "/v1/events/export",
            "/v1/anomalies",
            "/v1/integrity",
            "/v1/signed-batches/" + "0".repeat(64)
        };
        return Stream.of(endpoints)
                .flatMap(e -> Stream.of(
                        Arguments.of(e, "none", 401),
                        Arguments.of(e, "forged", 401),
                        Arguments.of(e, Users.NO_GROUP, 403),
                        Arguments.of(e, Users.INSTALLER, 403),
                        Arguments.of(
                                e,
                                Users.AUDITOR,
                                e.contains("some") || e.startsWith("/v1/signed-batches/") ? 404 : 200)));
    }

    @ParameterizedTest(name = "{1} GET {0} -> {2}")
    @MethodSource("matrix")
    void onlyAuditorsRead(String endpoint, String caller, int status) {
        RequestSpecification request = given();
        if (caller.equals("forged")) {
            // A well-formed token the pool never signed: the auditor's, with its signature replaced.
            String token = Tokens.auditor();
            request = request.auth().oauth2(token.substring(0, token.lastIndexOf('.') + 1) + "AAAA");
        } else if (!caller.equals("none")) {
            request = request.auth().oauth2(Tokens.accessToken(caller));
        }
        var response = request.get(endpoint).then().statusCode(status);
        if (status >= 400) {
            response.contentType("application/problem+json").body("status", equalTo(status));
        }
    }
}
