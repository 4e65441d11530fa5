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

    private static final String OPERATION = "CreateProvisioningClaim";

    @InjectIotEmulator
    IotEmulator emulator;

    @AfterEach
    void unthrottle() {
        emulator.throttle().setRate(OPERATION, 0);
    }

    @Test
    void throttlingIsRetriedWithBackoff() {
        String user = ClaimServiceEmulator.installer();
        long refusedBefore = emulator.throttle().refusals(OPERATION);
        // Forced refusals, not a low rate: with full-jitter backoff, 8 attempts' random delays can add up to less
        // than a token bucket's refill (about one throttled call in 110 at 1/s), which made this test flaky.
        emulator.throttle().refuseNext(OPERATION, 2);

        Claims.request(user, Claims.serial()).statusCode(201);

        assertThat(emulator.throttle().refusals(OPERATION) - refusedBefore)
                .as("attempts throttled before the one that succeeded")
                .isEqualTo(2);
    }

    @Test
    void persistentThrottlingEndsIn503WithRetryAfter() {
        String user = ClaimServiceEmulator.installer();
        emulator.throttle().setRate(OPERATION, 0.001);
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
