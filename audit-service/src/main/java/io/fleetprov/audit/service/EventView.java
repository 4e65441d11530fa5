package io.fleetprov.audit.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import io.fleetprov.audit.store.AuditEvent;
import io.fleetprov.audit.store.ChainedEvent;
import java.time.Instant;
import java.util.HexFormat;

/**
 * An event as the API shows it: its place in the chain, the extracted fields and the payload as received. The
 * components are seq, the {@link io.fleetprov.audit.store.AuditField}s in their order and under their view names,
 * the two hashes and the payload; a record spells them out so the OpenAPI document can describe them, and a test
 * holds the two lists together.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"seq", "eventId", "type", "source", "topic", "occurredAt", "receivedAt"})
public record EventView(
        long seq,
        String eventId,
        String type,
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
        String hash,
        String prevHash,
        JsonNode payload) {

    public static EventView of(ChainedEvent c) {
        AuditEvent e = c.event();
        HexFormat hex = HexFormat.of();
        return new EventView(
                c.seq(),
                e.eventId(),
                e.eventType(),
                e.source(),
                e.topic(),
                e.occurredAt(),
                e.receivedAt(),
                e.installer(),
                e.serialNumber(),
                e.templateName(),
                e.claimCertificateId(),
                e.certificateId(),
                e.thingName(),
                e.clientId(),
                e.outcome(),
                e.reason(),
                e.signer(),
                e.traceId(),
                e.signedBatch(),
                hex.formatHex(c.hash()),
                hex.formatHex(c.prevHash()),
                e.payload());
    }
}
