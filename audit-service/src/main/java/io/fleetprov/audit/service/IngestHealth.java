package io.fleetprov.audit.service;

import io.fleetprov.audit.store.WriteFailure;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while the writer commits. Only a database outage makes it DOWN ({@code state: paused}, with the reason);
 * messages quarantined for what they hold do not — they are counted here and ingest goes on. (The database pool and
 * the MQTT channels report their own checks.)
 */
@Readiness
@ApplicationScoped
public class IngestHealth implements HealthCheck {

    private final IngestWriter writer;
    private final CheckpointService checkpoints;

    public IngestHealth(IngestWriter writer, CheckpointService checkpoints) {
        this.writer = writer;
        this.checkpoints = checkpoints;
    }

    @Override
    public HealthCheckResponse call() {
        WriteFailure outage = writer.outage();
        HealthCheckResponseBuilder health = HealthCheckResponse.named("event-log-writer")
                .status(outage == null)
                .withData("state", outage == null ? "ingesting" : "paused")
                .withData("reason", outage == null ? "" : "database unavailable: " + outage.describe())
                .withData("lastFailure", outage == null ? "" : outage.describe())
                .withData("backlog", writer.backlog())
                .withData("quarantined", writer.quarantined())
                .withData("lastQuarantineReason", orEmpty(writer.lastQuarantineReason()));
        if (checkpoints.enabled()) {
            health.withData("lastCheckpointSeq", checkpoints.lastSeq())
                    .withData("checkpointFailure", orEmpty(checkpoints.lastFailure()));
        }
        return health.build();
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
