package io.fleetprov.claims;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.testing.quarkus.InjectIotEmulator;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The emulator answers CreateProvisioningClaim with ThrottlingException above a configured rate. */
@QuarkusTest
class ThrottlingTest {

    @InjectIotEmulator
    IotEmulator emulator;

    @AfterEach
    void unthrottle() {
        emulator.throttle().setRate("CreateProvisioningClaim", 0);
    }

    @Test
    void throttlingIsRetriedWithBackoff() {
        String user = ClaimServiceEmulator.installer();
        emulator.throttle().setRate("CreateProvisioningClaim", 1);
        // The second and third calls are throttled at first and succeed on a later attempt.
        for (int i = 0; i < 3; i++) {
            Claims.request(user, Claims.serial()).statusCode(201);
        }
    }

    @Test
    void persistentThrottlingEndsIn503WithRetryAfter() {
        String user = ClaimServiceEmulator.installer();
        emulator.throttle().setRate("CreateProvisioningClaim", 0.001);
        Claims.request(user, Claims.serial()).statusCode(201);

        long start = System.nanoTime();
        String retryAfter = Claims.request(user, Claims.serial())
                .statusCode(503)
                .contentType("application/problem+json")
                .body("type", equalTo("https://fleetprov.io/problems/aws-unavailable"))
                .extract()
                .header("Retry-After");
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(Integer.parseInt(retryAfter)).isPositive();
        // Retried until the 2 s deadline (or the attempts ran out), not given up at once.
        assertThat(elapsedMillis).isGreaterThan(500);
    }
}
