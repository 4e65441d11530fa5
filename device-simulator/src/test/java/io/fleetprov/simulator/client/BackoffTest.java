package io.fleetprov.simulator.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Backoff honours a server's Retry-After: never sooner, jittered so that shed devices do not return together, and for
 * as long as its waiting budget lasts rather than a number of attempts.
 */
class BackoffTest {

    private final Backoff backoff =
            new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), 8, Duration.ofMinutes(2));

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

    @Test
    void aRetryAfterIsFollowedPastTheAttemptCountWhileTheBudgetLasts() {
        Backoff threeAttempts = new Backoff(Duration.ofMillis(1), Duration.ofSeconds(1), 3, Duration.ofSeconds(10));
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger throttled = new AtomicInteger();
        // Shed ten times (Retry-After: 0), more than three attempts allow, then served.
        String result = threeAttempts
                .retryThrottled(
                        () -> calls.incrementAndGet() <= 10
                                ? CompletableFuture.failedFuture(shed(Duration.ZERO))
                                : CompletableFuture.completedFuture("claim"),
                        throttled::incrementAndGet)
                .join();
        assertThat(result).isEqualTo("claim");
        assertThat(calls).hasValue(11);
        assertThat(throttled).hasValue(10);
    }

    @Test
    void aRetryAfterThatWouldOverrunTheBudgetEndsTheRetries() {
        Backoff budget150ms = new Backoff(Duration.ofMillis(1), Duration.ofSeconds(1), 8, Duration.ofMillis(150));
        AtomicInteger calls = new AtomicInteger();
        // Each wait is 100-200 ms: at most one fits into 150 ms, a second never does.
        assertThatThrownBy(() -> budget150ms
                        .retryThrottled(
                                () -> {
                                    calls.incrementAndGet();
                                    return CompletableFuture.<String>failedFuture(shed(Duration.ofMillis(100)));
                                },
                                () -> {})
                        .join())
                .hasCauseInstanceOf(DeviceException.class);
        assertThat(calls.get()).isBetween(1, 2);
    }

    @Test
    void throttlingWithoutRetryAfterStopsAtTheAttemptCount() {
        Backoff threeAttempts = new Backoff(Duration.ofMillis(1), Duration.ofMillis(2), 3, Duration.ofMinutes(2));
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> threeAttempts
                        .retryThrottled(
                                () -> {
                                    calls.incrementAndGet();
                                    return CompletableFuture.<String>failedFuture(
                                            new DeviceException("ThrottlingException", 429, "slow down", null));
                                },
                                () -> {})
                        .join())
                .hasCauseInstanceOf(DeviceException.class);
        assertThat(calls).hasValue(3);
    }

    private static DeviceException shed(Duration retryAfter) {
        return new DeviceException("HTTP503", 503, retryAfter, "POST /v1/claims answered 503", null);
    }
}
