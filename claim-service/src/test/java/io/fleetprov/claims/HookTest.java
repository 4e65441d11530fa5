package io.fleetprov.claims;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The pre-provisioning hook, called as AWS IoT calls it (the emulator's hook client sends the same payload). */
@QuarkusTest
class HookTest {

    private final String USER = ClaimServiceEmulator.installer();

    @Test
    void refusesCallersWithoutTheSharedSecret() {
        String serial = Claims.serial();
        String claim = (String) Claims.issue(USER, serial).get("certificateId");

        Claims.hook(null, claim, serial).statusCode(401).contentType("application/problem+json");
        Claims.hook("not-the-secret-but-long-enough", claim, serial).statusCode(401);

        Claims.get(USER, claim).statusCode(200).body("status", equalTo("ISSUED"));
    }

    @Test
    void allowsTheBoundSerialOnceOnly() {
        String serial = Claims.serial();
        String claim = (String) Claims.issue(USER, serial).get("certificateId");

        byte[] allowed = Claims.hook(Claims.hookSecret(), claim, serial)
                .statusCode(200)
                .body("allowProvisioning", equalTo(true))
                .extract()
                .asByteArray();
        Claims.hook(Claims.hookSecret(), claim, serial).statusCode(200).body("allowProvisioning", equalTo(false));

        Claims.get(USER, claim).statusCode(200).body("status", equalTo("USED")).body("thingName", equalTo(serial));
        ProducedContracts.assertHookResponseMatchesContract(allowed);
    }

    @Test
    void deniesAnotherSerialAndBurnsTheClaim() {
        String serial = Claims.serial();
        String claim = (String) Claims.issue(USER, serial).get("certificateId");

        Claims.hook(Claims.hookSecret(), claim, Claims.serial())
                .statusCode(200)
                .body("allowProvisioning", equalTo(false));
        // The claim reached a device it was not issued for: it no longer provisions anything.
        Claims.hook(Claims.hookSecret(), claim, serial).statusCode(200).body("allowProvisioning", equalTo(false));
        Claims.get(USER, claim).statusCode(200).body("status", equalTo("DENIED"));
    }

    @Test
    void deniesAnExpiredClaim() {
        String serial = Claims.serial();
        String claim = (String) Claims.issue(USER, serial).get("certificateId");
        ClaimServiceEmulator.CLOCK.advance(Duration.ofMinutes(6));
        try {
            Claims.hook(Claims.hookSecret(), claim, serial).statusCode(200).body("allowProvisioning", equalTo(false));
            Claims.get(USER, claim).statusCode(200).body("status", equalTo("EXPIRED"));
        } finally {
            ClaimServiceEmulator.CLOCK.advance(Duration.ofMinutes(-6));
        }
    }

    @Test
    void deniesUnknownClaims() {
        Claims.hook(Claims.hookSecret(), "ab".repeat(32), "SN-unknown")
                .statusCode(200)
                .body("allowProvisioning", equalTo(false));
    }

    @Test
    void concurrentHooksForOneClaimAllowExactlyOne() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 5; round++) {
                String serial = Claims.serial();
                String claim = (String)
                        Claims.issue(ClaimServiceEmulator.installer(), serial).get("certificateId");
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> answers = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    Callable<Boolean> call = () -> {
                        start.await();
                        return Claims.hook(Claims.hookSecret(), claim, serial)
                                .statusCode(200)
                                .extract()
                                .jsonPath()
                                .getBoolean("allowProvisioning");
                    };
                    answers.add(pool.submit(call));
                }
                start.countDown();
                int allowed = 0;
                for (Future<Boolean> answer : answers) {
                    allowed += answer.get() ? 1 : 0;
                }
                assertThat(allowed).as("allowed hooks in round %d", round).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
