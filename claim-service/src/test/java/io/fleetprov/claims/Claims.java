package io.fleetprov.claims;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.Map;
import java.util.UUID;

/** Calls to the claim API as an installer app makes them. */
final class Claims {

    private Claims() {}

    static ValidatableResponse request(String user, String serialNumber) {
        return request(user, serialNumber, null, null);
    }

    static ValidatableResponse request(String user, String serialNumber, String template, String idempotencyKey) {
        var spec = given().auth().oauth2(Tokens.of(user)).contentType(ContentType.JSON);
        if (idempotencyKey != null) {
            spec.header("Idempotency-Key", idempotencyKey);
        }
        Map<String, String> body = template == null
                ? Map.of("serialNumber", serialNumber)
                : Map.of("serialNumber", serialNumber, "templateName", template);
        return spec.body(body).post("/v1/claims").then();
    }

    /** Issues a claim and returns its body. */
    static Map<String, Object> issue(String user, String serialNumber) {
        return request(user, serialNumber).statusCode(201).extract().jsonPath().getMap("$");
    }

    static ValidatableResponse get(String user, String certificateId) {
        return given().auth()
                .oauth2(Tokens.of(user))
                .get("/v1/claims/" + certificateId)
                .then();
    }

    static String serial() {
        return "SN-" + UUID.randomUUID().toString().substring(0, 12);
    }

    /** What AWS IoT posts to the hook on RegisterThing. */
    static ValidatableResponse hook(String secret, String claimCertificateId, String serialNumber) {
        var spec = given().contentType(ContentType.JSON);
        if (secret != null) {
            spec.header(ClaimServiceEmulator.HOOK_HEADER, secret);
        }
        String deviceCertificateId = UUID.randomUUID().toString().replace("-", "")
                + UUID.randomUUID().toString().replace("-", "");
        return spec.body(Map.of(
                        "claimCertificateId",
                        claimCertificateId,
                        "certificateId",
                        deviceCertificateId,
                        "certificatePem",
                        "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
                        "templateArn",
                        "arn:aws:iot:us-east-1:123456789012:provisioningtemplate/" + ClaimServiceEmulator.TEMPLATE,
                        "clientId",
                        "device-" + serialNumber,
                        "parameters",
                        Map.of("SerialNumber", serialNumber)))
                .post("/v1/hooks/pre-provisioning")
                .then();
    }

    static String hookSecret() {
        return Tokens.config("fleetprov.hook.secret");
    }
}
