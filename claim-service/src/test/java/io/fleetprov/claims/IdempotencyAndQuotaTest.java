package io.fleetprov.claims;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class IdempotencyAndQuotaTest {

    @Test
    void retryWithTheSameKeyReturnsTheSameClaim() {
        String user = ClaimServiceEmulator.installer();
        String serial = Claims.serial();
        String key = UUID.randomUUID().toString();
        Map<String, Object> first = Claims.request(user, serial, null, key)
                .statusCode(201)
                .header("Cache-Control", "no-store")
                .extract()
                .jsonPath()
                .getMap("$");
        Map<String, Object> retry = Claims.request(user, serial, null, key)
                .statusCode(201)
                .header("Cache-Control", "no-store")
                .extract()
                .jsonPath()
                .getMap("$");

        assertThat(retry).isEqualTo(first);
        assertThat(first)
                .containsKeys("certificatePem", "privateKey", "publicKey", "expiresAt", "iotEndpoint")
                .containsEntry("templateName", ClaimServiceEmulator.TEMPLATE);

        // Same key, another device: refused, never a second claim.
        Claims.request(user, Claims.serial(), null, key).statusCode(409).contentType("application/problem+json");
        // Keys are per installer: bob's identical key is his own.
        Claims.request(ClaimServiceEmulator.installer(), serial, null, key).statusCode(201);
    }

    @Test
    void claimsPerMinuteQuotaAnswers429WithRetryAfter() {
        String user = ClaimServiceEmulator.installer();
        for (int i = 0; i < 5; i++) {
            Claims.issue(user, Claims.serial());
        }
        String retryAfter = Claims.request(user, Claims.serial())
                .statusCode(429)
                .contentType("application/problem+json")
                .body("type", equalTo("https://fleetprov.io/problems/quota"))
                .extract()
                .header("Retry-After");
        assertThat(Integer.parseInt(retryAfter)).isBetween(1, 60);
    }

    @Test
    void outstandingClaimsQuotaAnswers429UntilOneExpires() {
        String user = ClaimServiceEmulator.installer();
        for (int i = 0; i < 5; i++) {
            Claims.issue(user, Claims.serial());
        }
        ClaimServiceEmulator.CLOCK.advance(Duration.ofSeconds(61));
        try {
            for (int i = 0; i < 3; i++) {
                Claims.issue(user, Claims.serial());
            }
            String retryAfter = Claims.request(user, Claims.serial())
                    .statusCode(429)
                    .body("detail", equalTo("at most 8 unused, unexpired claims at once"))
                    .extract()
                    .header("Retry-After");
            // The oldest claim expires 5 minutes after it was issued, 61 s ago.
            assertThat(Integer.parseInt(retryAfter)).isBetween(200, 240);
        } finally {
            ClaimServiceEmulator.CLOCK.advance(Duration.ofSeconds(-61));
        }
    }
}
