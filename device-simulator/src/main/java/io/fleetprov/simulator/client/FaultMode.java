package io.fleetprov.simulator.client;

/**
 * Ways a device misbehaves on purpose, each with the refusal a correct server must give. A fault device that is
 * refused as expected is a success of the system under test, not an error.
 */
public enum FaultMode {
    /** Creates its certificate, disconnects before RegisterThing, then tries to connect with that certificate. */
    DISCONNECT_AFTER_CREATE("disconnect-after-create", "connect refused (certificate still PENDING_ACTIVATION)"),
    /** Registers, then sends RegisterThing again with the same ownership token. */
    REUSE_TOKEN("reuse-token", "RegisterThing rejected: InvalidCertificateOwnershipToken"),
    /** RegisterThing with a serial number other than the one the claim was issued for. */
    WRONG_SERIAL("wrong-serial", "RegisterThing rejected by the pre-provisioning hook: AccessDenied"),
    /** Waits until its claim has expired, then connects with it. */
    EXPIRED_CLAIM("expired-claim", "connect refused (claim expired)"),
    /** Sends a payload that is not valid JSON/CBOR to the create-certificate topic. */
    MALFORMED_PAYLOAD("malformed-payload", "create rejected: InvalidPayload");

    private final String label;
    private final String expected;

    FaultMode(String label, String expected) {
        this.label = label;
        this.expected = expected;
    }

    public String label() {
        return label;
    }

    public String expected() {
        return expected;
    }

    public static FaultMode fromLabel(String label) {
        for (FaultMode mode : values()) {
            if (mode.label.equals(label)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown fault mode " + label);
    }
}
