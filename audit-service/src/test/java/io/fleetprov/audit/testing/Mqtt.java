package io.fleetprov.audit.testing;

import io.fleetprov.emulator.IotEmulator;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** Raw MQTT 3.1.1 clients (Eclipse Paho) with TLS client certificates against the emulator's broker. */
public final class Mqtt {

    private Mqtt() {}

    public static MqttClient connect(IotEmulator emulator, String certificatePem, String privateKeyPem, String clientId)
            throws Exception {
        return connect(emulator, certificatePem, privateKeyPem, clientId, 10);
    }

    /**
     * A blocking client; {@code maxInflight} above 1 still matters to it, because Paho counts a publish as in
     * flight until its callback thread has processed the PUBACK, after {@code publish} has already returned.
     */
    public static MqttClient connect(
            IotEmulator emulator, String certificatePem, String privateKeyPem, String clientId, int maxInflight)
            throws Exception {
        MqttClient client = new MqttClient(uri(emulator), clientId, new MemoryPersistence());
        client.connect(options(emulator, certificatePem, privateKeyPem, maxInflight));
        return client;
    }

    public static MqttAsyncClient connectAsync(
            IotEmulator emulator, String certificatePem, String privateKeyPem, String clientId, int maxInflight)
            throws Exception {
        MqttAsyncClient client = new MqttAsyncClient(uri(emulator), clientId, new MemoryPersistence());
        client.connect(options(emulator, certificatePem, privateKeyPem, maxInflight))
                .waitForCompletion(10_000);
        return client;
    }

    private static String uri(IotEmulator emulator) {
        return "ssl://localhost:" + emulator.mqttPort();
    }

    private static MqttConnectOptions options(
            IotEmulator emulator, String certificatePem, String privateKeyPem, int maxInflight) throws Exception {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        options.setConnectionTimeout(10);
        options.setAutomaticReconnect(false);
        options.setMaxInflight(maxInflight);
        options.setSocketFactory(emulator.clientSocketFactory(certificatePem, privateKeyPem));
        return options;
    }
}
