package io.fleetprov.emulator.registry;

/** AWS IoT certificate states. Only ACTIVE certificates (and unexpired claims) may connect. */
public enum CertificateStatus {
    ACTIVE,
    INACTIVE,
    REVOKED,
    PENDING_TRANSFER,
    REGISTER_INACTIVE,
    PENDING_ACTIVATION
}
