package io.fleetprov.audit.service;

import io.fleetprov.audit.store.AppendResult;
import io.fleetprov.audit.store.ChainedEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;

/**
 * Ingest meters: {@code audit_events_ingested_total} (its rate is events/s), {@code audit_events_duplicate_total},
 * {@code audit_events_quarantined_total}, {@code audit_ingest_lag_seconds} (event time to commit) and
 * {@code audit_ingest_commit_seconds}.
 */
@ApplicationScoped
public class IngestMetrics {

    private final Counter ingested;
    private final Counter duplicates;
    private final Counter quarantined;
    private final Counter commitFailures;
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
            Duration l = Duration.between(e.event().occurredAt(), now);
            lag.record(l.isNegative() ? Duration.ZERO : l);
        }
    }

    void commitFailed() {
        commitFailures.increment();
    }
}
