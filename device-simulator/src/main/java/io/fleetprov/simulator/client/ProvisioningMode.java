package io.fleetprov.simulator.client;

/** How a device obtains its permanent certificate. */
public enum ProvisioningMode {
    /** CreateKeysAndCertificate: AWS generates the key pair and sends the private key over MQTT. */
    KEYS,
    /** CreateCertificateFromCsr: the device generates its key; only the CSR travels. */
    CSR
}
