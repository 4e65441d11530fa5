package io.fleetprov.protocol.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * The envelope of every event on {@code fleetprov/events/{type}}. Absent fields are omitted on the wire.
 * {@code eventId} is stable across redeliveries, so consumers can de-duplicate on it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FleetEvent(
        String eventId,
        String type,
        Instant occurredAt,
        String source,
        String installer,
        String serialNumber,
        String templateName,
        String claimCertificateId,
        String certificateId,
        String thingName,
        String outcome,
        String reason,
        String traceId) {

    public static final String CLAIM_ISSUED = "ClaimIssued";
    public static final String CLAIM_REFUSED = "ClaimRefused";
    public static final String HOOK_DECISION = "HookDecision";
    public static final String CLAIM_EXPIRED_UNUSED = "ClaimExpiredUnused";
}
