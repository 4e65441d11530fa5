package io.fleetprov.simulator.client;

import java.util.Objects;

/** A certificate and its private key, both PEM: a claim or a device's own identity. */
public record DeviceCredentials(String certificateId, String certificatePem, String privateKeyPem) {

    public DeviceCredentials {
        Objects.requireNonNull(certificatePem, "certificatePem");
        Objects.requireNonNull(privateKeyPem, "privateKeyPem");
    }

    /** Keeps the private key out of logs. */
    @Override
    public String toString() {
        return "DeviceCredentials[certificateId=" + certificateId + "]";
    }
}
