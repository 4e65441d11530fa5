package io.fleetprov.protocol.claim;

import java.time.Instant;

/**
 * claim-service's answer to {@code POST /v1/claims}: everything a device needs to connect with its temporary
 * claim certificate. {@code privateKey} is PEM.
 */
public record ClaimResponse(
        String certificateId,
        String certificatePem,
        String privateKey,
        String publicKey,
        Instant expiresAt,
        String templateName,
        String iotEndpoint) {

    /** Keeps the private key out of logs. */
    @Override
    public String toString() {
        return "ClaimResponse[certificateId=" + certificateId + ", templateName=" + templateName + "]";
    }
}
