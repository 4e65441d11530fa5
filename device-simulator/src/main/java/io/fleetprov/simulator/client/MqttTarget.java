package io.fleetprov.simulator.client;

import java.util.Objects;

/**
 * Where devices connect: the broker's host and port, and the CA to trust. A null {@code caPem} trusts the JVM's
 * default store, which already holds the Amazon root CAs that AWS IoT Core's ATS endpoints chain to.
 *
 * @param openSsl use Netty's OpenSSL engine (netty-tcnative) instead of the JDK's TLS; about four times cheaper
 *                per handshake, so it matters when thousands of devices connect
 */
public record MqttTarget(String host, int port, String caPem, boolean openSsl) {

    /** AWS IoT Core's MQTT-over-TLS port; DescribeEndpoint on AWS returns only a host. */
    public static final int AWS_MQTT_PORT = 8883;

    public MqttTarget {
        Objects.requireNonNull(host, "host");
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("invalid port " + port);
        }
    }

    /**
     * Parses what DescribeEndpoint returns: the emulator answers {@code host:port}, AWS only a host (port 8883).
     */
    public static MqttTarget fromEndpoint(String endpointAddress, String caPem, boolean openSsl) {
        String address = endpointAddress.trim();
        int colon = address.lastIndexOf(':');
        if (colon > 0 && address.indexOf(':') == colon) {
            return new MqttTarget(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)), caPem,
                    openSsl);
        }
        return new MqttTarget(address, AWS_MQTT_PORT, caPem, openSsl);
    }

    public String endpoint() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        return "MqttTarget[" + endpoint() + (caPem == null ? ", default trust" : ", custom CA")
                + (openSsl ? ", OpenSSL" : "") + "]";
    }
}
