package io.fleetprov.claims.service;

import io.fleetprov.claims.event.FleetEvents;
import io.fleetprov.claims.store.ClaimRecord;
import io.fleetprov.claims.store.ClaimStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Marks claims that expired unused EXPIRED, with a ClaimExpiredUnused event each, and clears stale reservations. */
@ApplicationScoped
public class ClaimExpiry {

    private static final int BATCH = 500;
    /** Far beyond any AWS call deadline: a PENDING row this old belongs to a request that died with its process. */
    private static final Duration STALE_PENDING = Duration.ofMinutes(10);

    private final ClaimStore store;
    private final FleetEvents events;
    private final Clock clock;
    private final MeterRegistry registry;

    public ClaimExpiry(ClaimStore store, FleetEvents events, Clock clock, MeterRegistry registry) {
        this.store = store;
        this.events = events;
        this.clock = clock;
        this.registry = registry;
    }

    @Scheduled(
            every = "${fleetprov.claims.expiry-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    public void sweep() {
        int expired;
        do {
            expired = QuarkusTransaction.requiringNew().call(() -> {
                Instant now = clock.instant();
                List<ClaimRecord> due = store.expireDue(now, BATCH);
                for (ClaimRecord claim : due) {
                    events.claimExpiredUnused(
                            claim.installer(),
                            claim.serialNumber(),
                            claim.templateName(),
                            claim.certificateId(),
                            claim.traceId());
                }
                store.deletePendingOlderThan(now.minus(STALE_PENDING));
                return due.size();
            });
            registry.counter("fleetprov.claims.expired").increment(expired);
        } while (expired == BATCH);
    }
}
