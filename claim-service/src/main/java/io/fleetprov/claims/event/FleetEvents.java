package io.fleetprov.claims.event;

import io.fleetprov.claims.config.ClaimServiceConfig;
import io.fleetprov.claims.store.OutboxStore;
import io.fleetprov.protocol.AwsEventTopics;
import io.fleetprov.protocol.codec.PayloadCodec;
import io.fleetprov.protocol.event.EventType;
import io.fleetprov.protocol.event.FleetEvent;
import io.fleetprov.protocol.event.Outcome;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.UUID;
import org.jboss.logging.MDC;

/**
 * Writes fleetprov events into the outbox, inside the caller's transaction, so an event exists exactly when the
 * state change it describes was committed. The event id is fixed here and travels unchanged through every
 * redelivery.
 */
@ApplicationScoped
public class FleetEvents {

    /** The MDC key of the request id, which becomes the event's traceId. */
    public static final String REQUEST_ID = "requestId";

    private final OutboxStore outbox;
    private final Clock clock;
    private final String source;

    public FleetEvents(OutboxStore outbox, Clock clock, ClaimServiceConfig config) {
        this.outbox = outbox;
        this.clock = clock;
        this.source = config.events().source();
    }

    public FleetEvent claimIssued(String installer, String serial, String template, String claimCertificateId) {
        return record(
                EventType.CLAIM_ISSUED,
                installer,
                serial,
                template,
                claimCertificateId,
                null,
                null,
                Outcome.ISSUED,
                null);
    }

    public FleetEvent claimRefused(String installer, String serial, String template, String reason) {
        return record(EventType.CLAIM_REFUSED, installer, serial, template, null, null, null, Outcome.REFUSED, reason);
    }

    public FleetEvent hookDecision(
            String installer,
            String serial,
            String template,
            String claimCertificateId,
            String deviceCertificateId,
            String thingName,
            boolean allowed,
            String reason) {
        return record(
                EventType.HOOK_DECISION,
                installer,
                serial,
                template,
                claimCertificateId,
                deviceCertificateId,
                thingName,
                allowed ? Outcome.ALLOW : Outcome.DENY,
                reason);
    }

    public FleetEvent claimExpiredUnused(String installer, String serial, String template, String claimCertificateId) {
        return record(
                EventType.CLAIM_EXPIRED_UNUSED,
                installer,
                serial,
                template,
                claimCertificateId,
                null,
                null,
                Outcome.EXPIRED,
                null);
    }

    private FleetEvent record(
            EventType type,
            String installer,
            String serial,
            String template,
            String claimCertificateId,
            String certificateId,
            String thingName,
            Outcome outcome,
            String reason) {
        Object traceId = MDC.get(REQUEST_ID);
        FleetEvent event = new FleetEvent(
                UUID.randomUUID().toString(),
                type,
                clock.instant(),
                source,
                installer,
                serial,
                template,
                claimCertificateId,
                certificateId,
                thingName,
                outcome,
                reason,
                traceId == null ? null : traceId.toString());
        outbox.append(
                UUID.fromString(event.eventId()),
                AwsEventTopics.fleetprov(type.wire()),
                new String(PayloadCodec.json().encode(event), StandardCharsets.UTF_8),
                event.occurredAt());
        return event;
    }
}
