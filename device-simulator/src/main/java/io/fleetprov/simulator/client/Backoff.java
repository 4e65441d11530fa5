package io.fleetprov.simulator.client;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Exponential backoff with full jitter (sleep a random time up to {@code base·2^attempt}, capped), AWS's advice
 * for throttled calls: jitter keeps thousands of throttled devices from retrying in lock-step.
 *
 * <p>A throttled answer without {@code Retry-After} is retried until {@code maxAttempts} attempts. One with
 * {@code Retry-After} (claim-service shedding load with 429/503) is retried for as long as the waits add up to at
 * most {@code retryAfterBudget}, however many attempts that takes: the server said the request is welcome later, and
 * an installer's app keeps asking while its user waits. Counting attempts instead failed devices whenever a burst
 * above the claim path's ceiling lasted longer than eight Retry-Afters.
 */
public record Backoff(Duration base, Duration cap, int maxAttempts, Duration retryAfterBudget) {

    public static final Backoff DEFAULT =
            new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), 8, Duration.ofMinutes(2));

    public long delayMillis(int attempt) {
        long ceiling = Math.min(cap.toMillis(), base.toMillis() << Math.min(attempt, 20));
        return ThreadLocalRandom.current().nextLong(ceiling + 1);
    }

    /**
     * The wait before attempt {@code attempt + 1}. A server that said when to come back ({@code Retry-After}) is
     * never asked sooner: the wait is that long plus a random share of as much again (at most {@code cap}), so
     * devices shed together do not all return in the same instant. Without one, full jitter as above.
     */
    public long delayMillis(int attempt, Optional<Duration> retryAfter) {
        if (retryAfter.isEmpty() || retryAfter.get().isNegative()) {
            return delayMillis(attempt);
        }
        long asked = retryAfter.get().toMillis();
        return asked + ThreadLocalRandom.current().nextLong(Math.min(asked, cap.toMillis()) + 1);
    }

    /**
     * Runs {@code call} until it succeeds, fails with something other than throttling, or runs out of attempts (or,
     * for answers with {@code Retry-After}, of its waiting budget); {@code onThrottled} is told of each throttled
     * attempt.
     */
    public <T> CompletableFuture<T> retryThrottled(Supplier<CompletableFuture<T>> call, Runnable onThrottled) {
        return attempt(call, onThrottled, 0, 0);
    }

    private <T> CompletableFuture<T> attempt(
            Supplier<CompletableFuture<T>> call, Runnable onThrottled, int n, long waitedMillis) {
        return call.get().exceptionallyCompose(e -> {
            Throwable cause = DeviceClient.unwrap(e);
            if (!(cause instanceof DeviceException device) || !device.isThrottling()) {
                return CompletableFuture.failedFuture(cause);
            }
            onThrottled.run();
            long delay = delayMillis(n, device.retryAfter());
            boolean again = device.retryAfter().isPresent()
                    ? waitedMillis + delay <= retryAfterBudget.toMillis()
                    : n + 1 < maxAttempts;
            if (!again) {
                return CompletableFuture.failedFuture(cause);
            }
            var later = CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS);
            return CompletableFuture.supplyAsync(() -> null, later)
                    .thenCompose(ignored -> attempt(call, onThrottled, n + 1, waitedMillis + delay));
        });
    }
}
