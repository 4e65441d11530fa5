package io.fleetprov.claims.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The service-wide bulkhead and rate limit of CreateProvisioningClaim, without the service around them. */
class CallLimitsTest {

    @Test
    void aFullBulkheadQueuesUpToItsWaitingQueueAndRefusesBeyond() throws Exception {
        CallLimits limits = new CallLimits("call", 2, 1, 1000, Duration.ofHours(1));
        CallLimits.Permit first = limits.enter();
        CallLimits.Permit second = limits.enter();
        ExecutorService waiter = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch asked = new CountDownLatch(1);
            CompletableFuture<CallLimits.Permit> third = CompletableFuture.supplyAsync(
                    () -> {
                        asked.countDown();
                        return limits.enter();
                    },
                    waiter);
            asked.await();
            // The third waits in the queue (1 deep); a fourth finds running and waiting full and is refused at once.
            awaitQueued(limits, third);
            assertThatThrownBy(limits::enter)
                    .isInstanceOfSatisfying(
                            CallLimitException.class,
                            e -> assertThat(e.retryAfter()).isPositive());
            first.close();
            CallLimits.Permit admitted = third.get(10, TimeUnit.SECONDS);
            // Closing twice releases once: the bulkhead still holds second and admitted, and has room to queue one.
            first.close();
            CompletableFuture<CallLimits.Permit> fourth = CompletableFuture.supplyAsync(limits::enter, waiter);
            awaitQueued(limits, fourth);
            assertThatThrownBy(limits::enter).isInstanceOf(CallLimitException.class);
            second.close();
            fourth.get(10, TimeUnit.SECONDS).close();
            admitted.close();
            limits.enter().close();
        } finally {
            waiter.shutdownNow();
        }
    }

    @Test
    void theRateLimitRefusesBeyondItsWindowsCountWithTheTimeLeftInTheWindow() {
        CallLimits limits = new CallLimits("call", 100, 0, 3, Duration.ofHours(1));
        List<CallLimits.Permit> permits = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            permits.add(limits.enter());
        }
        // Calls that ended still count in their window, as with SmallRye's @RateLimit.
        permits.forEach(CallLimits.Permit::close);
        assertThatThrownBy(limits::enter)
                .isInstanceOfSatisfying(
                        CallLimitException.class,
                        e -> assertThat(e.retryAfter())
                                .isGreaterThan(Duration.ofMinutes(59))
                                .isLessThanOrEqualTo(Duration.ofHours(1)));
    }

    @Test
    void aNewWindowLetsCallsThroughAgain() {
        AtomicLong nanos = new AtomicLong();
        CallLimits limits = new CallLimits("call", 100, 0, 1, Duration.ofSeconds(1), nanos::get);
        limits.enter().close();
        nanos.addAndGet(Duration.ofMillis(400).toNanos());
        assertThatThrownBy(limits::enter)
                .isInstanceOfSatisfying(
                        CallLimitException.class,
                        e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(600)));
        // 1.5 s after the first window began: the second one (1 s to 2 s) has room again, and ends at 2 s.
        nanos.addAndGet(Duration.ofMillis(1100).toNanos());
        limits.enter().close();
        assertThatThrownBy(limits::enter)
                .isInstanceOfSatisfying(
                        CallLimitException.class,
                        e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(500)));
    }

    /** Waits until the call of {@code pending} has taken its place in the bulkhead's queue. */
    private static void awaitQueued(CallLimits limits, CompletableFuture<CallLimits.Permit> pending)
            throws InterruptedException {
        for (int i = 0; i < 2000 && limits.admitted() < 3; i++) {
            TimeUnit.MILLISECONDS.sleep(5);
        }
        assertThat(limits.admitted()).as("calls running and waiting").isEqualTo(3);
        assertThat(pending).isNotDone();
    }
}
