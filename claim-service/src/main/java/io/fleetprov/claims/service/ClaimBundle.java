package io.fleetprov.claims.service;

import java.time.Instant;

/** What an installer receives: everything a device needs to connect with its claim. */
public record ClaimBundle(
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
        return "ClaimBundle[certificateId=" + certificateId + ", templateName=" + templateName + "]";
    }
}
