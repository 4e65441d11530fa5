package io.fleetprov.claims;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OperationsTest {

    @Test
    void openApiDescribesTheApi() {
        given().get("/q/openapi")
                .then()
                .statusCode(200)
                .body(containsString("/v1/claims/{certificateId}"))
                .body(containsString("/v1/hooks/pre-provisioning"));
    }

    @Test
    void readinessCoversTheDatabaseAndWellnessTheBroker() {
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body(containsString("Database connections health check"));
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().get("/q/health/well")
                        .then()
                        .statusCode(200)
                        .body("checks.find { it.name == 'mqtt-events' }.status", equalTo("UP")));
    }

    @Test
    void metricsArePrometheus() {
        given().get("/q/metrics").then().statusCode(200).body(containsString("fleetprov_outbox_backlog"));
    }

    @Test
    void requestIdsAreEchoed() {
        given().header("X-Request-Id", "req-1234567890")
                .get("/v1/claims/unknown")
                .then()
                .statusCode(401)
                .header("X-Request-Id", "req-1234567890");
    }
}
