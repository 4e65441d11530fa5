package io.fleetprov.simulator.client;

import java.security.PrivateKey;
import java.util.Objects;

/**
 * A certificate and its private key, both PEM: a claim or a device's own identity. {@code privateKey} is the same key
 * already parsed when the simulator made it itself (CSR mode), so that connecting does not parse back the PEM just
 * written from it; null when only the PEM is known.
 */
public record DeviceCredentials(
        String certificateId, String certificatePem, String privateKeyPem, PrivateKey privateKey) {

    public DeviceCredentials {
        Objects.requireNonNull(certificatePem, "certificatePem");
        Objects.requireNonNull(privateKeyPem, "privateKeyPem");
    }

    /** Credentials known as PEM only (a claim, keys the server made). */
    public DeviceCredentials(String certificateId, String certificatePem, String privateKeyPem) {
        this(certificateId, certificatePem, privateKeyPem, null);
    }

    /** The private key, parsed from the PEM unless it came parsed. */
    PrivateKey parsedPrivateKey() {
        return privateKey != null ? privateKey : PemCodec.privateKey(privateKeyPem);
    }

    /** Keeps the private key out of logs. */
    @Override
    public String toString() {
        return "DeviceCredentials[certificateId=" + certificateId + "]";
    }
}
