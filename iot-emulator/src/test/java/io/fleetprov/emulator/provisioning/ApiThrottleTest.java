package io.fleetprov.emulator.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetprov.emulator.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiThrottleTest {

    private final MutableClock clock = new MutableClock(Instant.EPOCH);

    @Test
    void unlimitedUnlessConfigured() {
        ApiThrottle throttle = new ApiThrottle(clock, Map.of());
        for (int i = 0; i < 1000; i++) {
            assertThat(throttle.tryAcquire("RegisterThing")).isTrue();
        }
    }

    @Test
    void allowsOneSecondsWorthThenRefillsWithTime() {
        ApiThrottle throttle = new ApiThrottle(clock, Map.of("RegisterThing", 10.0));
        int allowed = 0;
        for (int i = 0; i < 20; i++) {
            allowed += throttle.tryAcquire("RegisterThing") ? 1 : 0;
        }
        assertThat(allowed).isEqualTo(10);
        assertThat(throttle.tryAcquire("CreateKeysAndCertificate")).isTrue();

        clock.advance(Duration.ofMillis(100));
        assertThat(throttle.tryAcquire("RegisterThing")).isTrue();
        assertThat(throttle.tryAcquire("RegisterThing")).isFalse();
    }

    @Test
    void rateCanBeChangedAndRemoved() {
        ApiThrottle throttle = new ApiThrottle(clock, Map.of());
        throttle.setRate("RegisterThing", 1);
        assertThat(throttle.rates()).containsEntry("RegisterThing", 1.0);
        assertThat(throttle.tryAcquire("RegisterThing")).isTrue();
        assertThat(throttle.tryAcquire("RegisterThing")).isFalse();
        throttle.setRate("RegisterThing", 0);
        assertThat(throttle.rates()).isEmpty();
        assertThat(throttle.tryAcquire("RegisterThing")).isTrue();
    }
}
