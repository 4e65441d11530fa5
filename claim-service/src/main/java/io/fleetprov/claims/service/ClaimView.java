package io.fleetprov.claims.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fleetprov.claims.store.ClaimStatus;
import java.time.Instant;

/** A claim's state as GET /v1/claims/{certificateId} shows it; no key material. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClaimView(
        String certificateId,
        ClaimStatus status,
        String serialNumber,
        String templateName,
        Instant issuedAt,
        Instant expiresAt,
        Instant usedAt,
        String thingName,
        String deviceCertificateId,
        String installer) {}
