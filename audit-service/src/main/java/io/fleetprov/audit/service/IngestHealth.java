package io.fleetprov.audit.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while the writer commits. (The database pool and the MQTT channels report their own checks.)
 */
@Readiness
@ApplicationScoped
public class IngestHealth implements HealthCheck {

    private final IngestWriter writer;

    public IngestHealth(IngestWriter writer) {
        this.writer = writer;
    }

    @Override
    public HealthCheckResponse call() {
        String failure = writer.lastFailure();
        return HealthCheckResponse.named("event-log-writer")
                .status(failure == null)
                .withData("backlog", writer.backlog())
                .withData("lastFailure", failure == null ? "" : failure)
                .build();
    }
}
