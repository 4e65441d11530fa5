package io.fleetprov.audit.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * MQTT 3.1.1 packets as bytes, for tests that must decide where a packet is cut on the wire (a client library writes
 * each packet whole).
 */
public final class RawMqtt {

    private RawMqtt() {}

    /** CONNECT with a clean session, a 60 s keep-alive and no user name (the certificate authenticates). */
    public static byte[] connect(String clientId) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, "MQTT");
        body.write(4); // protocol level 3.1.1
        body.write(0x02); // clean session
        body.write(0);
        body.write(60);
        string(body, clientId);
        return packet(0x10, body.toByteArray());
    }

    /** PUBLISH at QoS 1. */
    public static byte[] publish(String topic, int packetId, byte[] payload) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, topic);
        body.write(packetId >> 8);
        body.write(packetId & 0xff);
        body.writeBytes(payload);
        return packet(0x32, body.toByteArray());
    }

    /** The bytes of {@code packet}'s fixed header: its type byte and its remaining length (one to four bytes). */
    public static int fixedHeaderLength(byte[] packet) {
        int i = 1;
        while ((packet[i] & 0x80) != 0) {
            i++;
        }
        return i + 1;
    }

    private static byte[] packet(int firstByte, byte[] body) {
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(firstByte);
        int length = body.length;
        do { // the remaining length, seven bits a byte
            int digit = length % 128;
            length /= 128;
            packet.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        packet.writeBytes(body);
        return packet.toByteArray();
    }

    private static void string(ByteArrayOutputStream out, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.write(bytes.length >> 8);
        out.write(bytes.length & 0xff);
        out.writeBytes(bytes);
    }
}
