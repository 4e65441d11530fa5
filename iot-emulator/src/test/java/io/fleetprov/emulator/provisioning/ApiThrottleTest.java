package io.fleetprov.emulator.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ApiThrottleTest {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.EPOCH);
    // Set by hand, so expiry is tested without sleeping (the shared TestClock lives downstream of the emulator).
    private final Clock clock = ((InstantSource) now::get).withZone(ZoneOffset.UTC);

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

        now.updateAndGet(t -> t.plus(Duration.ofMillis(100)));
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

    @Test
    void refusesTheNextCallsWhenToldAndCountsEveryRefusal() {
        ApiThrottle throttle = new ApiThrottle(clock, Map.of("RegisterThing", 1.0));
        throttle.refuseNext("CreateProvisioningClaim", 2);

        assertThat(throttle.tryAcquire("CreateProvisioningClaim")).isFalse();
        assertThat(throttle.tryAcquire("CreateProvisioningClaim")).isFalse();
        assertThat(throttle.tryAcquire("CreateProvisioningClaim")).isTrue();
        assertThat(throttle.tryAcquire("RegisterThing")).isTrue();
        assertThat(throttle.tryAcquire("RegisterThing")).isFalse();

        assertThat(throttle.refusals("CreateProvisioningClaim")).isEqualTo(2);
        assertThat(throttle.refusals("RegisterThing")).isEqualTo(1);
        assertThat(throttle.refusals("CreateKeysAndCertificate")).isZero();
    }
}
