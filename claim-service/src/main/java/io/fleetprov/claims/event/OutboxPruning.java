package io.fleetprov.claims.event;

import io.fleetprov.claims.config.ClaimServiceConfig;
import io.fleetprov.claims.store.OutboxStore;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Deletes delivered events once {@code fleetprov.events.retention} has passed since their delivery: the outbox only
 * carries events to the broker, audit-service keeps the record, and kept for good every event's payload would grow
 * the database for as long as devices are provisioned. Small batches, each its own statement, so that pruning a
 * large backlog never holds many rows locked. Built at start, so that a retention of zero or less, which would
 * delete every delivered event at once, stops the service instead.
 */
@Startup
@ApplicationScoped
public class OutboxPruning {

    private static final Logger LOG = Logger.getLogger(OutboxPruning.class);
    private static final int BATCH = 1000;

    private final OutboxStore outbox;
    private final Clock clock;
    private final ClaimServiceConfig config;

    public OutboxPruning(OutboxStore outbox, Clock clock, ClaimServiceConfig config) {
        this.outbox = outbox;
        this.clock = clock;
        this.config = config;
        Duration retention = config.events().retention();
        if (retention.isZero() || retention.isNegative()) {
            throw new IllegalArgumentException(
                    "fleetprov.events.retention must be positive (e.g. P7D), not " + retention);
        }
    }

    @Scheduled(
            every = "1m",
            delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        try {
            prune();
        } catch (RuntimeException e) {
            LOG.warnf("outbox not pruned: %s", e.getMessage());
        }
    }

    private void prune() {
        while (outbox.pruneDelivered(clock.instant().minus(config.events().retention()), BATCH) == BATCH) {
            // another batch is due
        }
    }
}
