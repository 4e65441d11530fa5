package io.fleetprov.audit.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One event as the log keeps it: the columns joins need, taken out of the payload, beside the payload itself.
 * Times are at millisecond precision so that they survive a round trip through PostgreSQL unchanged.
 */
public record AuditEvent(
        String eventId,
        String eventType,
        String source,
        String topic,
        Instant occurredAt,
        Instant receivedAt,
        String installer,
        String serialNumber,
        String templateName,
        String claimCertificateId,
        String certificateId,
        String thingName,
        String clientId,
        String outcome,
        String reason,
        JsonNode payload) {}
