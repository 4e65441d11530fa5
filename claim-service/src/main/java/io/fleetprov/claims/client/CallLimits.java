package io.fleetprov.claims.client;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * A bulkhead and a fixed-window rate limit around one kind of call, on the caller's own thread: the semantics of
 * SmallRye Fault Tolerance's {@code @Bulkhead(value, waitingTaskQueue)} and {@code @RateLimit(value, window)}, which
 * this replaced because, around an asynchronous method, it ran the guarded call on another worker thread and
 * completed it on a third (two thread hops per claim). The rate limit is asked first and counts every call it lets
 * through, as SmallRye's does; then up to {@code concurrency} calls run at once and up to {@code waiting} more wait,
 * blocking their own (worker) thread, for one of them to end; anything beyond is refused at once.
 */
public final class CallLimits {

    /** Retry-After for a full bulkhead: a claim call takes well under a second when AWS is healthy. */
    private static final Duration BULKHEAD_RETRY = Duration.ofSeconds(1);

    private final String name;
    private final int rateLimit;
    private final long windowNanos;
    private final Semaphore running;
    /** Calls running plus calls waiting for a permit of {@link #running}. */
    private final AtomicInteger admitted = new AtomicInteger();

    private final int admittedMax;
    private final LongSupplier nanoTime;
    private long windowStart;
    private int inWindow;
    private final Object windowLock = new Object();

    public CallLimits(String name, int concurrency, int waiting, int rateLimit, Duration window) {
        this(name, concurrency, waiting, rateLimit, window, System::nanoTime);
    }

    /** With the monotonic time source the rate limit's windows are measured with (tests turn it by hand). */
    CallLimits(String name, int concurrency, int waiting, int rateLimit, Duration window, LongSupplier nanoTime) {
        if (concurrency < 1 || waiting < 0 || rateLimit < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("invalid limits for " + name);
        }
        this.name = name;
        this.rateLimit = rateLimit;
        this.windowNanos = window.toNanos();
        this.running = new Semaphore(concurrency, true);
        this.admittedMax = concurrency + waiting;
        this.nanoTime = nanoTime;
        this.windowStart = nanoTime.getAsLong();
    }

    /** A call let through; {@link #close()} it when the call has ended, however it ended. */
    public final class Permit implements AutoCloseable {

        private boolean closed;

        private Permit() {}

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                running.release();
                admitted.decrementAndGet();
            }
        }
    }

    /**
     * Lets the caller's call through, after waiting for a running one to end if the bulkhead is full but its queue
     * is not; otherwise throws {@link CallLimitException} without waiting.
     */
    public Permit enter() {
        takeFromWindow();
        if (admitted.incrementAndGet() > admittedMax) {
            admitted.decrementAndGet();
            throw new CallLimitException(name + ": bulkhead and its waiting queue are full", BULKHEAD_RETRY);
        }
        try {
            // A fair semaphore: the waiting calls go in their order of arrival.
            running.acquire();
        } catch (InterruptedException e) {
            admitted.decrementAndGet();
            Thread.currentThread().interrupt();
            throw new CallLimitException(name + ": interrupted while waiting in the bulkhead", BULKHEAD_RETRY);
        }
        return new Permit();
    }

    /** Calls running plus calls waiting, for tests. */
    int admitted() {
        return admitted.get();
    }

    private void takeFromWindow() {
        synchronized (windowLock) {
            long now = nanoTime.getAsLong();
            long elapsed = now - windowStart;
            if (elapsed >= windowNanos) {
                // Windows are aligned to the first one, as SmallRye's fixed windows are.
                windowStart = now - elapsed % windowNanos;
                inWindow = 0;
            }
            if (inWindow >= rateLimit) {
                long left = windowStart + windowNanos - now;
                throw new CallLimitException(
                        name + ": rate limit of " + rateLimit + " per window reached",
                        Duration.ofNanos(Math.max(left, TimeUnit.MILLISECONDS.toNanos(1))));
            }
            inWindow++;
        }
    }
}
