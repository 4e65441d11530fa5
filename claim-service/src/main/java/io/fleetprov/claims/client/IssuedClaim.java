package io.fleetprov.claims.client;

import java.time.Instant;

/** What CreateProvisioningClaim returned. */
public record IssuedClaim(
        String certificateId, String certificatePem, String publicKey, String privateKey, Instant expiration) {

    /** Keeps the private key out of logs. */
    @Override
    public String toString() {
        return "IssuedClaim[certificateId=" + certificateId + ", expiration=" + expiration + "]";
    }
}
