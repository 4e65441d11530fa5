package io.fleetprov.simulator.claim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** claim-service's Retry-After (seconds) as the trusted-user source reads it. */
class RetryAfterHeaderTest {

    @Test
    void secondsAreRead() {
        assertThat(TrustedUserClaimSource.retryAfter(Optional.of("1"))).isEqualTo(Duration.ofSeconds(1));
        assertThat(TrustedUserClaimSource.retryAfter(Optional.of(" 30 "))).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void missingDatesAndGarbageCountAsNotGiven() {
        assertThat(TrustedUserClaimSource.retryAfter(Optional.empty())).isNull();
        assertThat(TrustedUserClaimSource.retryAfter(Optional.of("Wed, 21 Oct 2015 07:28:00 GMT")))
                .isNull();
        assertThat(TrustedUserClaimSource.retryAfter(Optional.of("-5"))).isNull();
        assertThat(TrustedUserClaimSource.retryAfter(Optional.of("soon"))).isNull();
    }
}
