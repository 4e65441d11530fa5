package io.fleetprov.emulator.provisioning;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Per-API rate limits (requests per second, token bucket with a burst of one second's worth), off unless a rate
 * is configured. Driven by the emulator's clock, so a test with a fixed clock gets deterministic throttling.
 * Rates can be changed at run time (fault injection).
 */
public final class ApiThrottle {

    private final Clock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> refusals = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> refuseNext = new ConcurrentHashMap<>();

    public ApiThrottle(Clock clock, Map<String, Double> ratesPerSecond) {
        this.clock = clock;
        ratesPerSecond.forEach(this::setRate);
    }

    /** A rate of zero or less removes the limit. */
    public void setRate(String api, double perSecond) {
        if (perSecond <= 0) {
            buckets.remove(api);
        } else {
            buckets.put(api, new Bucket(perSecond, clock.millis()));
        }
    }

    public Map<String, Double> rates() {
        Map<String, Double> rates = new java.util.TreeMap<>();
        buckets.forEach((api, bucket) -> rates.put(api, bucket.ratePerSecond));
        return rates;
    }

    /**
     * Throttles the API's next {@code calls} calls whatever the rate: a test of retries then does not depend on how
     * fast the machine is or on the backoff's random delays.
     */
    public void refuseNext(String api, int calls) {
        refuseNext.computeIfAbsent(api, key -> new AtomicInteger()).addAndGet(calls);
    }

    public boolean tryAcquire(String api) {
        Bucket bucket = buckets.get(api);
        AtomicInteger forced = refuseNext.get(api);
        boolean refuse = forced != null && forced.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        if (!refuse && (bucket == null || bucket.tryAcquire(clock.millis()))) {
            return true;
        }
        refusals.computeIfAbsent(api, key -> new LongAdder()).increment();
        return false;
    }

    /** How many calls of the API were refused since the emulator started: lets a test see that it was throttled. */
    public long refusals(String api) {
        LongAdder count = refusals.get(api);
        return count == null ? 0 : count.sum();
    }

    private static final class Bucket {
        private final double ratePerSecond;
        private final double capacity;
        private double tokens;
        private long lastRefillMillis;

        Bucket(double ratePerSecond, long nowMillis) {
            this.ratePerSecond = ratePerSecond;
            this.capacity = Math.max(1.0, ratePerSecond);
            this.tokens = capacity;
            this.lastRefillMillis = nowMillis;
        }

        synchronized boolean tryAcquire(long nowMillis) {
            long elapsed = Math.max(0, nowMillis - lastRefillMillis);
            tokens = Math.min(capacity, tokens + elapsed * ratePerSecond / 1000.0);
            lastRefillMillis = nowMillis;
            if (tokens >= 1.0) {
                tokens -= 1.0;
                return true;
            }
            return false;
        }
    }
}
