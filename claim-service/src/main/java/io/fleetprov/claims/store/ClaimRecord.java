package io.fleetprov.claims.store;

import java.time.Instant;
import java.util.UUID;

/** A row of the claims table. {@code traceId} is the W3C trace id of the request that asked for the claim. */
public record ClaimRecord(
        UUID id,
        String certificateId,
        String installer,
        String serialNumber,
        String templateName,
        ClaimStatus status,
        String idempotencyKey,
        Instant requestedAt,
        Instant issuedAt,
        Instant expiresAt,
        Instant usedAt,
        String deviceCertificateId,
        String thingName,
        String denyReason,
        byte[] sealedBundle,
        boolean replacesDevice,
        String traceId) {

    /** The status as of {@code now}: an ISSUED claim past its expiry is EXPIRED even before the sweeper ran. */
    public ClaimStatus statusAt(Instant now) {
        return status == ClaimStatus.ISSUED && expiresAt != null && !now.isBefore(expiresAt)
                ? ClaimStatus.EXPIRED
                : status;
    }

    @Override
    public String toString() {
        return "ClaimRecord[id=" + id + ", certificateId=" + certificateId + ", status=" + status + "]";
    }
}
