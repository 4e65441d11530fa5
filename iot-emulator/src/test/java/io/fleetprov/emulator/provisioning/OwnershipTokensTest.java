package io.fleetprov.emulator.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class OwnershipTokensTest {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    // Set by hand, so expiry is tested without sleeping (the shared TestClock lives downstream of the emulator).
    private final Clock clock = ((InstantSource) now::get).withZone(ZoneOffset.UTC);
    private final OwnershipTokens tokens = new OwnershipTokens(clock, Duration.ofHours(1));

    @Test
    void tokensAreOpaqueAndSingleUse() {
        String token = tokens.issue("cert-1", "claim-1");
        assertThat(token).hasSizeGreaterThan(100).doesNotContain("cert-1");
        assertThat(tokens.issue("cert-1", "claim-1")).isNotEqualTo(token);

        assertThat(tokens.take(token, "claim-1").certificateId()).isEqualTo("cert-1");
        assertThatThrownBy(() -> tokens.take(token, "claim-1"))
                .isInstanceOfSatisfying(FleetProvisioningException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.errorCode()).isEqualTo("InvalidCertificateOwnershipToken");
                });
    }

    @Test
    void restoredTokenCanBeRetried() {
        String token = tokens.issue("cert-1", "claim-1");
        var grant = tokens.take(token, "claim-1");
        tokens.restore(token, grant);
        assertThat(tokens.take(token, "claim-1")).isEqualTo(grant);
    }

    @Test
    void emptyTokenHasAwsMessage() {
        assertThatThrownBy(() -> tokens.take("", "claim-1")).hasMessage("Certificate ownership token cannot be empty.");
        assertThatThrownBy(() -> tokens.take(null, "claim-1"))
                .hasMessage("Certificate ownership token cannot be empty.");
    }

    @Test
    void tokenOfAnotherClientIsRefusedAndKeptForItsOwner() {
        String token = tokens.issue("cert-1", "claim-1");
        assertThatThrownBy(() -> tokens.take(token, "claim-2"))
                .hasMessage("Certificate ownership token was not issued to this client.");
        assertThat(tokens.take(token, "claim-1").certificateId()).isEqualTo("cert-1");
    }

    @Test
    void tokensExpireAfterTheirLifetime() {
        String token = tokens.issue("cert-1", "claim-1");
        now.updateAndGet(t -> t.plus(Duration.ofMinutes(59)));
        assertThat(tokens.removeExpired()).isEmpty();
        now.updateAndGet(t -> t.plus(Duration.ofMinutes(1)));
        assertThatThrownBy(() -> tokens.take(token, "claim-1")).hasMessage("Certificate ownership token has expired.");
        // The expired token stays until the sweep, which reports its certificate for removal.
        assertThat(tokens.removeExpired())
                .extracting(OwnershipTokens.Grant::certificateId)
                .containsExactly("cert-1");
        assertThat(tokens.removeExpired()).isEmpty();
    }
}
