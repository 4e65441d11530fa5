package io.fleetprov.claims.event;

import io.fleetprov.claims.config.ClaimServiceConfig;
import io.fleetprov.claims.store.OutboxStore;
import io.fleetprov.protocol.AwsEventTopics;
import io.fleetprov.protocol.codec.PayloadCodec;
import io.fleetprov.protocol.event.EventType;
import io.fleetprov.protocol.event.FleetEvent;
import io.fleetprov.protocol.event.Outcome;
import io.fleetprov.protocol.event.TraceIds;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.UUID;

/**
 * Writes fleetprov events into the outbox, inside the caller's transaction, so an event exists exactly when the
 * state change it describes was committed. The event id is fixed here and travels unchanged through every
 * redelivery.
 */
@ApplicationScoped
public class FleetEvents {

    /** The MDC key of the request id (logs only: events carry the W3C trace id, see {@link Traces}). */
    public static final String REQUEST_ID = "requestId";

    /** AWS's bounds where it has one (thing names, template names, certificate ids), generous ones elsewhere. */
    static final int MAX_ID = 64;

    static final int MAX_NAME = 128;
    static final int MAX_TEMPLATE = 36;
    static final int MAX_REASON = 256;

    private final OutboxStore outbox;
    private final Clock clock;
    private final String source;

    public FleetEvents(OutboxStore outbox, Clock clock, ClaimServiceConfig config) {
        this.outbox = outbox;
        this.clock = clock;
        this.source = config.events().source();
    }

    /** {@code traceId}: the claim's, from the request that asked for it. */
    public FleetEvent claimIssued(
            String installer, String serial, String template, String claimCertificateId, String traceId) {
        return record(
                traceId,
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

    public FleetEvent claimRefused(String installer, String serial, String template, String reason, String traceId) {
        return record(
                traceId,
                EventType.CLAIM_REFUSED,
                installer,
                serial,
                template,
                null,
                null,
                null,
                Outcome.REFUSED,
                reason);
    }

    public FleetEvent hookDecision(
            String installer,
            String serial,
            String template,
            String claimCertificateId,
            String deviceCertificateId,
            String thingName,
            boolean allowed,
            String reason,
            String claimTraceId) {
        return record(
                claimTraceId,
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

    public FleetEvent claimExpiredUnused(
            String installer, String serial, String template, String claimCertificateId, String claimTraceId) {
        return record(
                claimTraceId,
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

    /**
     * {@code certificateId} is the new device's certificate, {@code reason} names the retired one
     * ({@code replaced-certificate:ID}).
     */
    public FleetEvent deviceReplaced(
            String installer,
            String serial,
            String template,
            String claimCertificateId,
            String newCertificateId,
            String thingName,
            String oldCertificateId,
            String claimTraceId) {
        return record(
                claimTraceId,
                EventType.DEVICE_REPLACED,
                installer,
                serial,
                template,
                claimCertificateId,
                newCertificateId,
                thingName,
                Outcome.REPLACED,
                "replaced-certificate:" + oldCertificateId);
    }

    /**
     * {@code traceId} is the trace of the installer's claim request: every event of one claim carries it, whichever
     * request or timer records the event, so one device's provisioning is one trace. Only a W3C trace id is written.
     */
    private FleetEvent record(
            String traceId,
            EventType type,
            String installer,
            String serial,
            String template,
            String claimCertificateId,
            String certificateId,
            String thingName,
            Outcome outcome,
            String reason) {
        // Every field is cut to its bound here: an event that carries what a caller sent must still fit the
        // outbox's columns and the broker's message size, or it would never be delivered.
        FleetEvent event = new FleetEvent(
                UUID.randomUUID().toString(),
                type,
                clock.instant(),
                bounded(source, MAX_NAME),
                bounded(installer, MAX_NAME),
                bounded(serial, MAX_NAME),
                bounded(template, MAX_TEMPLATE),
                bounded(claimCertificateId, MAX_ID),
                bounded(certificateId, MAX_ID),
                bounded(thingName, MAX_NAME),
                outcome,
                bounded(reason, MAX_REASON),
                TraceIds.isTraceId(traceId) ? traceId : null);
        // Written unsigned: the ES256 signature is the costliest step of recording an event, and the request that
        // records it need not wait for it. OutboxRelay signs the events it sends together, once per batch, on every
        // send; the echo that confirms delivery must carry this row's envelope byte for byte under the service's own
        // signature; nothing leaves the service unsigned.
        outbox.append(
                UUID.fromString(event.eventId()),
                AwsEventTopics.fleetprov(type.wire()),
                new String(PayloadCodec.json().encode(event), StandardCharsets.UTF_8),
                event.occurredAt());
        return event;
    }

    static String bounded(String value, int max) {
        if (value == null || value.length() <= max) {
            return value;
        }
        // Never half a surrogate pair: the JSON encoder would turn it into a replacement character.
        return value.substring(0, Character.isHighSurrogate(value.charAt(max - 1)) ? max - 1 : max);
    }
}
