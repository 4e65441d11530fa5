package io.fleetprov.claims.event;

import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Whether events reach the broker. A wellness check, not readiness: during a broker outage the API keeps issuing
 * claims and the outbox keeps their events, so taking the service out of rotation would only add an outage.
 */
@Wellness
@ApplicationScoped
public class EventRelayHealth implements HealthCheck {

    private final OutboxRelay relay;

    public EventRelayHealth(OutboxRelay relay) {
        this.relay = relay;
    }

    @Override
    public HealthCheckResponse call() {
        Instant lastSuccess = relay.lastSuccess();
        String failure = relay.lastFailure();
        boolean up = relay.backlog() == 0 || failure == null;
        var builder = HealthCheckResponse.named("mqtt-events").status(up).withData("backlog", relay.backlog());
        if (lastSuccess != null) {
            builder.withData("lastSent", lastSuccess.toString());
        }
        if (!up) {
            builder.withData("lastFailure", failure);
        }
        return builder.build();
    }
}
