package io.fleetprov.claims.event;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetprov.claims.config.ClaimServiceConfig;
import io.fleetprov.testing.ConfigStubs;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the pruning deletes is tested against PostgreSQL in {@code OutboxSharingTest}; here, what it refuses. */
class OutboxPruningTest {

    @Test
    void aRetentionOfZeroOrLessStopsTheServiceRatherThanDeleteEveryDeliveredEvent() {
        for (Duration retention : new Duration[] {Duration.ZERO, Duration.ofDays(-7)}) {
            assertThatThrownBy(() -> new OutboxPruning(null, Clock.systemUTC(), retainingFor(retention)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("fleetprov.events.retention must be positive");
        }
        assertThatCode(() -> new OutboxPruning(null, Clock.systemUTC(), retainingFor(Duration.ofSeconds(1))))
                .doesNotThrowAnyException();
    }

    private static ClaimServiceConfig retainingFor(Duration retention) {
        var events = ConfigStubs.of(ClaimServiceConfig.Events.class, Map.of("retention", retention));
        return ConfigStubs.of(ClaimServiceConfig.class, Map.of("events", events));
    }
}
