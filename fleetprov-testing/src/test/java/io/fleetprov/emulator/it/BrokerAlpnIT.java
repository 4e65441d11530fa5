package io.fleetprov.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetprov.emulator.EmulatorConfig;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.broker.MqttBroker;
import java.io.IOException;
import java.util.UUID;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ALPN as on AWS IoT: on the broker's port (AWS's 8883) {@code x-amzn-mqtt-ca} is chosen when offered, never
 * required; on the {@code --mqtt-alpn-port} (AWS's 443) it is required, and a handshake without it gets no MQTT.
 */
class BrokerAlpnIT {

    private static IotEmulator emulator;
    private static Devices.Credentials device;

    @BeforeAll
    static void start() {
        emulator = IotEmulator.start(
                EmulatorConfig.builder().forTests().mqttAlpnPort(0).build());
        device = Devices.activeDevice(emulator, "alpn-allow-all");
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @ParameterizedTest(name = "offered [{0}] → [{1}]")
    @CsvSource(
            value = {"x-amzn-mqtt-ca;x-amzn-mqtt-ca", "h2|x-amzn-mqtt-ca;x-amzn-mqtt-ca", "h2;''", "'';''"},
            delimiter = ';')
    void negotiatesAwsMqttAlpnWhenOffered(String offered, String negotiated) throws Exception {
        try (SSLSocket socket = socket(emulator.mqttPort(), offered)) {
            socket.startHandshake();
            assertThat(socket.getApplicationProtocol()).isEqualTo(negotiated);
        }
    }

    @Test
    void aPlainTlsClientOfferingAwsMqttAlpnGetsAConnAck() throws Exception {
        // A plain TLS client: Paho replaces a socket's SSL parameters, and with them any ALPN offer, before its
        // handshake; the device SDK offers ALPN only when the port is 443.
        assertThat(emulator.mqttAlpnPort()).isPositive().isNotEqualTo(emulator.mqttPort());
        try (SSLSocket socket = socket(emulator.mqttAlpnPort(), MqttBroker.AWS_MQTT_ALPN)) {
            socket.startHandshake();
            assertThat(socket.getApplicationProtocol()).isEqualTo(MqttBroker.AWS_MQTT_ALPN);
            socket.getOutputStream()
                    .write(connect("alpn-raw-" + UUID.randomUUID().toString().substring(0, 8)));
            socket.getOutputStream().flush();
            byte[] connAck = socket.getInputStream().readNBytes(4);
            assertThat(connAck).containsExactly(0x20, 0x02, 0x00, 0x00);
        }
    }

    /** An MQTT 3.1.1 CONNECT with a clean session, keep-alive 60 s. */
    private static byte[] connect(String clientId) {
        byte[] id = clientId.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        var out = new java.io.ByteArrayOutputStream();
        out.write(0x10);
        out.write(10 + 2 + id.length);
        out.writeBytes(new byte[] {0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 60, 0, (byte) id.length});
        out.writeBytes(id);
        return out.toByteArray();
    }

    @ParameterizedTest(name = "offered [{0}]: refused")
    @ValueSource(strings = {"", "h2", "x-amzn-http-ca"})
    void theAlpnPortRefusesHandshakesWithoutAwsMqttAlpn(String offered) throws Exception {
        try (SSLSocket socket = socket(emulator.mqttAlpnPort(), offered)) {
            try {
                socket.startHandshake();
                // A CONNECT is never read: the server closes the connection instead.
                socket.getOutputStream().write(new byte[] {0x10, 0x00});
                socket.getOutputStream().flush();
                assertThat(socket.getInputStream().read()).isEqualTo(-1);
            } catch (SSLException | java.net.SocketException refused) {
                // refused during or right after the handshake: also a refusal
            }
        }
    }

    private static SSLSocket socket(int port, String offered) throws IOException {
        SSLSocket socket = (SSLSocket) emulator.clientSocketFactory(device.certificatePem(), device.privateKeyPem())
                .createSocket(emulator.mqttHost(), port);
        if (!offered.isEmpty()) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setApplicationProtocols(offered.split("\\|"));
            socket.setSSLParameters(parameters);
        }
        return socket;
    }
}
