package io.fleetprov.protocol.claim;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of {@code POST /v1/claims}; without {@code templateName}, claim-service uses its default template.
 * {@code replace} asks for a claim that provisions a new device in place of the one already provisioned under the
 * serial number (only for the groups claim-service lets replace devices).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClaimRequest(String serialNumber, String templateName, Boolean replace) {

    public ClaimRequest(String serialNumber, String templateName) {
        this(serialNumber, templateName, null);
    }
}
