package io.fleetprov.protocol;

/** The three operations of the fleet-provisioning MQTT API. */
public enum FleetOperation {
    CREATE_KEYS_AND_CERTIFICATE,
    CREATE_CERTIFICATE_FROM_CSR,
    REGISTER_THING
}
