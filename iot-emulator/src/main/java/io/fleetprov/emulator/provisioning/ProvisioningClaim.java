package io.fleetprov.emulator.provisioning;

import io.fleetprov.emulator.ca.Pem;
import java.security.KeyPair;
import java.time.Instant;

/** A temporary claim certificate, as CreateProvisioningClaim returns it. */
public record ProvisioningClaim(
        String certificateId, String certificatePem, KeyPair keyPair, Instant expiration, String templateName) {

    public String privateKeyPem() {
        return Pem.privateKey(keyPair);
    }

    public String publicKeyPem() {
        return Pem.publicKey(keyPair.getPublic());
    }

    /** Keeps the private key out of logs. */
    @Override
    public String toString() {
        return "ProvisioningClaim[certificateId=" + certificateId + ", expiration=" + expiration + "]";
    }
}
