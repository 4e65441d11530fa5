package io.fleetprov.simulator.client;

/** The phases of one device's provisioning, each with its own latency histogram; names are the report's. */
public enum Phase {
    CLAIM("claim"),
    CONNECT_WITH_CLAIM("connect-with-claim"),
    CREATE_CERTIFICATE("create-certificate"),
    REGISTER_THING("register-thing"),
    RECONNECT("reconnect"),
    FIRST_PUBLISH("first-publish"),
    /** From the device's intended start to its first publish acknowledged. */
    TOTAL("total");

    private final String label;

    Phase(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Phase fromLabel(String label) {
        for (Phase phase : values()) {
            if (phase.label.equals(label)) {
                return phase;
            }
        }
        throw new IllegalArgumentException("unknown phase " + label);
    }
}
