package io.fleetprov.audit.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * The chain of custody of one device, from the installer who asked for the claim to the device's latest
 * presence. Each step names the event it was read from; {@code missing} lists the steps with no event on record.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Provenance(
        String thingName,
        String serialNumber,
        Installer installer,
        Claim claim,
        HookDecision hookDecision,
        DeviceCertificate deviceCertificate,
        Thing thing,
        Presence firstConnect,
        List<Presence> laterPresence,
        String nextCursor,
        List<String> missing) {

    public record Installer(String subject, String eventId, Instant at) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Claim(
            String claimCertificateId,
            String templateName,
            String serialNumber,
            Instant issuedAt,
            String eventId,
            Instant expiredUnusedAt) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HookDecision(String outcome, String reason, String serialNumber, Instant decidedAt, String eventId) {}

    public record DeviceCertificate(String certificateId, Instant issuedAt, String eventId) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Thing(String thingId, Instant createdAt, String eventId, List<ThingChange> changes) {}

    public record ThingChange(String type, Instant at, String eventId) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Presence(
            String type,
            String clientId,
            String certificateId,
            String sessionIdentifier,
            String disconnectReason,
            Instant at,
            String eventId) {}
}
