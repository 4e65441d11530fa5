package io.fleetprov.protocol.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * The envelope of every event on {@code fleetprov/events/{type}}. Absent fields are omitted on the wire.
 * {@code eventId} is stable across redeliveries, so consumers can de-duplicate on it. {@code traceId}, when present,
 * is the W3C trace id ({@link TraceIds}) of the installer's claim request that began this device's provisioning, so
 * every event of one claim belongs to one trace. {@link EnvelopeField} describes these fields for code that handles
 * them one by one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FleetEvent(
        String eventId,
        EventType type,
        Instant occurredAt,
        String source,
        String installer,
        String serialNumber,
        String templateName,
        String claimCertificateId,
        String certificateId,
        String thingName,
        Outcome outcome,
        String reason,
        String traceId) {}
