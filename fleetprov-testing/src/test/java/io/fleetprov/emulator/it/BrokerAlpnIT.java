package io.fleetprov.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetprov.emulator.EmulatorConfig;
import io.fleetprov.emulator.IotEmulator;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ALPN on the broker's port, as on AWS's 8883: {@code x-amzn-mqtt-ca} is chosen when offered, never required. */
class BrokerAlpnIT {

    private static IotEmulator emulator;
    private static Devices.Credentials device;

    @BeforeAll
    static void start() {
        emulator = IotEmulator.start(EmulatorConfig.builder().forTests().build());
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
        try (SSLSocket socket =
                (SSLSocket) emulator.clientSocketFactory(device.certificatePem(), device.privateKeyPem())
                        .createSocket(emulator.mqttHost(), emulator.mqttPort())) {
            if (!offered.isEmpty()) {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setApplicationProtocols(offered.split("\\|"));
                socket.setSSLParameters(parameters);
            }
            socket.startHandshake();
            assertThat(socket.getApplicationProtocol()).isEqualTo(negotiated);
        }
    }
}
