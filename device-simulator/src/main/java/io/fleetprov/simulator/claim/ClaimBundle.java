package io.fleetprov.simulator.claim;

import io.fleetprov.protocol.claim.ClaimResponse;
import io.fleetprov.simulator.client.DeviceCredentials;
import java.time.Instant;

/**
 * A temporary claim certificate as the installer hands it to a device: claim-service's {@code POST /v1/claims}
 * answer, or CreateProvisioningClaim's. {@code templateName} and {@code iotEndpoint} are null when the source
 * does not say.
 */
public record ClaimBundle(
        String certificateId,
        String certificatePem,
        String privateKeyPem,
        Instant expiresAt,
        String templateName,
        String iotEndpoint) {

    /** The bundle in claim-service's answer to {@code POST /v1/claims}. */
    public static ClaimBundle of(ClaimResponse response) {
        return new ClaimBundle(
                response.certificateId(),
                response.certificatePem(),
                response.privateKey(),
                response.expiresAt(),
                response.templateName(),
                response.iotEndpoint());
    }

    public DeviceCredentials credentials() {
        return new DeviceCredentials(certificateId, certificatePem, privateKeyPem);
    }

    /** Keeps the private key out of logs. */
    @Override
    public String toString() {
        return "ClaimBundle[certificateId=" + certificateId + ", expiresAt=" + expiresAt + "]";
    }
}
