package io.fleetprov.audit.service;

import io.fleetprov.audit.store.AppendResult;
import io.fleetprov.audit.store.ChainedEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Ingest meters: {@code audit_events_ingested_total} (its rate is events/s), {@code audit_events_duplicate_total},
 * {@code audit_events_quarantined_total}, {@code audit_events_dropped_total}, {@code audit_ingest_lag_seconds} (event time to commit) and
 * {@code audit_ingest_commit_seconds}.
 */
@ApplicationScoped
public class IngestMetrics {

    private final Counter ingested;
    private final Counter duplicates;
    private final Counter quarantined;
    private final Counter commitFailures;
    private final Counter dropped;
    private final Timer lag;
    private final Timer commit;

    public IngestMetrics(MeterRegistry registry) {
        this.ingested = Counter.builder("audit.events.ingested")
                .description("Events committed to the log")
                .register(registry);
        this.duplicates = Counter.builder("audit.events.duplicate")
                .description("Redelivered events already on record")
                .register(registry);
        this.quarantined = Counter.builder("audit.events.quarantined")
                .description("Malformed events moved to quarantine")
                .register(registry);
        this.commitFailures = Counter.builder("audit.ingest.commit.failures")
                .description("Batches the database refused; retried")
                .register(registry);
        this.dropped = Counter.builder("audit.events.dropped")
                .description("Messages the database refused even as quarantine rows; logged, then acknowledged")
                .register(registry);
        this.lag = Timer.builder("audit.ingest.lag")
                .description("From the event's own time to its commit")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        this.commit = Timer.builder("audit.ingest.commit")
                .description("Time to commit one batch")
                .register(registry);
    }

    void committed(AppendResult result, Duration took, Instant now) {
        ingested.increment(result.appended().size());
        duplicates.increment(result.duplicates());
        quarantined.increment(result.quarantined());
        commit.record(took);
        for (ChainedEvent e : result.appended()) {
            // Event times are the publisher's: one from the far past would overflow a Duration in nanoseconds.
            long millis =
                    Math.max(0, now.toEpochMilli() - e.event().occurredAt().toEpochMilli());
            lag.record(millis, TimeUnit.MILLISECONDS);
        }
    }

    /** Redelivered messages' events skipped as already committed, without reading them again. */
    void duplicates(int events) {
        duplicates.increment(events);
    }

    void dropped() {
        dropped.increment();
    }

    void commitFailed() {
        commitFailures.increment();
    }
}
