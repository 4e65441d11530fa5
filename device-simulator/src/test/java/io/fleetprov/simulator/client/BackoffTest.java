package io.fleetprov.simulator.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Backoff honours a server's Retry-After: never sooner, jittered so that shed devices do not return together. */
class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), 8);

    @Test
    void withoutRetryAfterTheWaitIsFullJitterUpToTheExponentialCeiling() {
        for (int i = 0; i < 1_000; i++) {
            assertThat(backoff.delayMillis(0, Optional.empty())).isBetween(0L, 100L);
            assertThat(backoff.delayMillis(3, Optional.empty())).isBetween(0L, 800L);
        }
    }

    @Test
    void aRetryAfterIsNeverCutShortAndIsSpreadOverAsMuchAgain() {
        long shortest = Long.MAX_VALUE;
        long longest = 0;
        for (int i = 0; i < 1_000; i++) {
            long delay = backoff.delayMillis(0, Optional.of(Duration.ofSeconds(2)));
            shortest = Math.min(shortest, delay);
            longest = Math.max(longest, delay);
        }
        assertThat(shortest).isGreaterThanOrEqualTo(2_000);
        assertThat(longest).isLessThanOrEqualTo(4_000);
        // Jittered, not one value for every device.
        assertThat(longest).isGreaterThan(shortest);
    }

    @Test
    void aLongRetryAfterIsHonouredInFullWithJitterCappedAtTheCap() {
        for (int i = 0; i < 100; i++) {
            assertThat(backoff.delayMillis(0, Optional.of(Duration.ofSeconds(60))))
                    .isBetween(60_000L, 70_000L);
        }
    }

    @Test
    void theRetryAfterOfAThrottledAnswerReachesTheRetry() {
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger throttled = new AtomicInteger();
        // Retry-After: 0 keeps the test fast; what matters is that the 503 is retried and the retry succeeds.
        String result = backoff.retryThrottled(
                        () -> calls.incrementAndGet() == 1
                                ? CompletableFuture.failedFuture(new DeviceException(
                                        "HTTP503", 503, Duration.ZERO, "POST /v1/claims answered 503", null))
                                : CompletableFuture.completedFuture("claim"),
                        throttled::incrementAndGet)
                .join();
        assertThat(result).isEqualTo("claim");
        assertThat(calls).hasValue(2);
        assertThat(throttled).hasValue(1);
    }

    @Test
    void theExceptionCarriesTheRetryAfterOnlyWhenGiven() {
        assertThat(new DeviceException("HTTP503", 503, "busy", null).retryAfter())
                .isEmpty();
        assertThat(new DeviceException("HTTP429", 429, Duration.ofSeconds(3), "over quota", null).retryAfter())
                .contains(Duration.ofSeconds(3));
    }
}
