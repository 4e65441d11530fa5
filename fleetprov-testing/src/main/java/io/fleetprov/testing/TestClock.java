package io.fleetprov.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock tests move by hand, so expiry can be tested without sleeping. Thread-safe. {@link #running()} is real
 * time plus an offset: time keeps flowing (the emulator's throttle refills, retries can succeed) while a test can
 * still jump past a claim's expiry. {@link #stoppedAt} stands still until moved, for exact arithmetic.
 */
public final class TestClock extends Clock {

    /** Null when running. */
    private final Instant stoppedAt;

    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    private TestClock(Instant stoppedAt) {
        this.stoppedAt = stoppedAt;
    }

    public static TestClock running() {
        return new TestClock(null);
    }

    public static TestClock stoppedAt(Instant start) {
        return new TestClock(java.util.Objects.requireNonNull(start, "start"));
    }

    public static TestClock stoppedNow() {
        return stoppedAt(Instant.now());
    }

    public void advance(Duration duration) {
        offset.updateAndGet(o -> o.plus(duration));
    }

    @Override
    public Instant instant() {
        return (stoppedAt == null ? Instant.now() : stoppedAt).plus(offset.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
