package io.fleetprov.claims.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetprov.protocol.claim.ClaimResponse;
import io.fleetprov.testing.TestClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The installer app's one-time hand-over of a claim bundle: once, to its installer, before the claim expires. */
class HandoversTest {

    private final TestClock clock = TestClock.running();
    private final Handovers handovers = new Handovers(clock);

    @Test
    void theBundleIsHandedOverOnceToItsInstaller() {
        String handle = handovers.put("alice", "SN-1", bundle(Duration.ofMinutes(5)));

        assertThat(handovers.take("alice", handle)).hasValueSatisfying(h -> {
            assertThat(h.serialNumber()).isEqualTo("SN-1");
            assertThat(h.bundle().privateKey()).contains("PRIVATE KEY");
        });
        assertThat(handovers.take("alice", handle)).isEmpty();
    }

    @Test
    void anotherInstallersHandleGetsNothingAndTakesNothingAway() {
        String handle = handovers.put("alice", "SN-2", bundle(Duration.ofMinutes(5)));

        assertThat(handovers.take("bob", handle)).isEmpty();
        assertThat(handovers.take("bob", handle + "x")).isEmpty();
        assertThat(handovers.take("bob", null)).isEmpty();
        // Alice's download is still there after Bob's attempts.
        assertThat(handovers.take("alice", handle)).isPresent();
    }

    @Test
    void anExpiredClaimIsNotHandedOver() {
        String handle = handovers.put("alice", "SN-3", bundle(Duration.ofMinutes(5)));
        clock.advance(Duration.ofMinutes(5));

        assertThat(handovers.take("alice", handle)).isEmpty();
    }

    @Test
    void handlesAreUnguessableAndDistinct() {
        String a = handovers.put("alice", "SN-4", bundle(Duration.ofMinutes(5)));
        String b = handovers.put("alice", "SN-4", bundle(Duration.ofMinutes(5)));
        assertThat(a).isNotEqualTo(b).hasSizeGreaterThanOrEqualTo(43).doesNotContain("SN-4");
    }

    private ClaimResponse bundle(Duration validFor) {
        return new ClaimResponse(
                "c".repeat(64),
                "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
                "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n",
                null,
                clock.instant().plus(validFor),
                "fleetprov-device",
                "localhost:8883");
    }
}
