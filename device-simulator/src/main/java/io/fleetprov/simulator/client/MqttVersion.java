package io.fleetprov.simulator.client;

/**
 * The MQTT protocol a device speaks. Both reach the same broker port (AWS IoT Core and the emulator tell the two
 * apart by the CONNECT packet); only the client library differs, behind {@link DeviceClient}.
 */
public enum MqttVersion {
    /** MQTT 3.1.1 on Vert.x: many connections on a few event loops, OpenSSL when asked. */
    MQTT_3_1_1("3"),
    /** MQTT 5 on Eclipse Paho: a blocking socket and Paho's own threads per connection, JDK TLS. */
    MQTT_5("5");

    private final String option;

    MqttVersion(String option) {
        this.option = option;
    }

    /** How the command line spells it: {@code 3} or {@code 5}. */
    public String option() {
        return option;
    }

    /** Reads {@code 3} (or {@code 3.1.1}) and {@code 5} (or {@code 5.0}). */
    public static MqttVersion parse(String value) {
        return switch (value.trim()) {
            case "3", "3.1.1" -> MQTT_3_1_1;
            case "5", "5.0" -> MQTT_5;
            default -> throw new IllegalArgumentException("MQTT version must be 3 or 5, not '" + value + "'");
        };
    }
}
