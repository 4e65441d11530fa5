package io.fleetprov.claims;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The service runs on the emulator's clock, so tests expire claims on both sides at once without sleeping. */
@ApplicationScoped
public class TestClockProducer {

    @Produces
    @Singleton
    @Alternative
    @Priority(1)
    Clock clock() {
        return ClaimServiceEmulator.CLOCK;
    }
}
