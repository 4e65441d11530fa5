package io.fleetprov.protocol.claim;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The body of {@code POST /v1/claims}; without {@code templateName}, claim-service uses its default template. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClaimRequest(String serialNumber, String templateName) {}
