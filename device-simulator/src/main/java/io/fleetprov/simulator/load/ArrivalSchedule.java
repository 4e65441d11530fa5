package io.fleetprov.simulator.load;

import java.time.Duration;

/**
 * When the n-th device should start in an open model: the rate climbs linearly from 0 to {@code ratePerSecond}
 * over {@code ramp}, then stays. Start times are fixed in advance, never pushed back by slow answers.
 */
public record ArrivalSchedule(double ratePerSecond, Duration ramp) {

    public ArrivalSchedule {
        if (!(ratePerSecond > 0)) {
            throw new IllegalArgumentException("rate must be positive");
        }
    }

    /** Nanoseconds after the run's start at which arrival {@code n} (0-based) is due. */
    public long offsetNanos(long n) {
        double rampSeconds = ramp.toNanos() / 1e9;
        // Arrivals during the ramp: A(t) = rate·t²/(2·ramp); after it, A(t) = rate·ramp/2 + rate·(t - ramp).
        double duringRamp = ratePerSecond * rampSeconds / 2;
        double seconds = n < duringRamp
                ? Math.sqrt(2 * rampSeconds * n / ratePerSecond)
                : rampSeconds + (n - duringRamp) / ratePerSecond;
        return (long) (seconds * 1e9);
    }
}
