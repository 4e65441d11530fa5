package io.fleetprov.audit.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One event as the log keeps it: the columns joins need, taken out of the payload, beside the payload itself.
 * {@code signer} is the {@code kid} of the key whose signature on the event was verified; null for AWS's own events,
 * which are trusted for their topic (only AWS IoT may publish under {@code $aws/events}). {@code traceId} is the W3C
 * trace id a fleetprov event carried, null when it carried none or one that is not a W3C trace id. Times are at millisecond
 * precision so that they survive a round trip through PostgreSQL unchanged. {@code signedBatch} is the digest of
 * the signed batch the event came in ({@link SignedBatchRecord}), null for an event that came alone.
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
        String signer,
        String traceId,
        String signedBatch,
        JsonNode payload) {

    /** This event as it came in a {@link io.fleetprov.protocol.event.SignedBatch} of this digest. */
    public AuditEvent inBatch(String digest) {
        return new AuditEvent(
                eventId,
                eventType,
                source,
                topic,
                occurredAt,
                receivedAt,
                installer,
                serialNumber,
                templateName,
                claimCertificateId,
                certificateId,
                thingName,
                clientId,
                outcome,
                reason,
                signer,
                traceId,
                digest,
                payload);
    }
}
