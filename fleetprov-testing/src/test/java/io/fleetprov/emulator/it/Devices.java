package io.fleetprov.emulator.it;

import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.ca.CertificateAuthority;
import io.fleetprov.emulator.ca.KeyAlgorithm;
import io.fleetprov.emulator.ca.Pem;
import io.fleetprov.emulator.registry.CertificateRecord;
import io.fleetprov.emulator.registry.CertificateStatus;
import io.fleetprov.testing.TestTemplates;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** Raw MQTT clients (Eclipse Paho) with TLS client certificates, for payloads the device SDK cannot send. */
final class Devices {

    private static final String DEVICE_TEMPLATE = TestTemplates.deviceTemplate("device-");

    private Devices() {}

    /** A certificate the CA issued, registered ACTIVE, with a policy allowing everything attached. */
    static Credentials activeDevice(IotEmulator emulator, String policyName) {
        KeyPair keyPair = KeyAlgorithm.EC_P256.generate();
        CertificateAuthority ca = emulator.ca();
        X509Certificate certificate = ca.issueClientCertificate(
                keyPair.getPublic(), "test device", Instant.now().plus(1, ChronoUnit.DAYS));
        CertificateRecord record =
                emulator.registry().certificates().register(certificate, CertificateStatus.ACTIVE, null);
        if (emulator.registry().policies().find(policyName).isEmpty()) {
            emulator.registry().policies().create(policyName, TestTemplates.ALLOW_ALL_POLICY);
        }
        emulator.registry().attachPolicy(policyName, record.certificateArn());
        return new Credentials(record.certificateId(), record.certificatePem(), Pem.privateKey(keyPair.getPrivate()));
    }

    record Credentials(String certificateId, String certificatePem, String privateKeyPem) {}

    /** A connected Paho client; remembers whether the broker dropped it. */
    static final class RawDevice implements AutoCloseable {
        final MqttClient client;
        final CompletableFuture<Throwable> connectionLost = new CompletableFuture<>();

        RawDevice(MqttClient client) {
            this.client = client;
        }

        /** Subscribes to accepted and rejected, publishes, and returns the first answer within 10 s. */
        Reply request(String topic, byte[] payload) throws Exception {
            CompletableFuture<Reply> reply = new CompletableFuture<>();
            client.subscribe(
                    new String[] {topic + "/accepted", topic + "/rejected"},
                    new int[] {1, 1},
                    new org.eclipse.paho.client.mqttv3.IMqttMessageListener[] {
                        (t, m) -> reply.complete(new Reply(true, m.getPayload())),
                        (t, m) -> reply.complete(new Reply(false, m.getPayload()))
                    });
            client.publish(topic, payload, 1, false);
            return reply.get(10, TimeUnit.SECONDS);
        }

        /**
         * A QoS 0 publish the broker is expected to answer by dropping the connection. Paho can lose the publish's
         * completion when the connection drops at that moment, so only the drop is awaited, not the publish.
         */
        Throwable publishAndAwaitDrop(String topic, byte[] payload) throws Exception {
            client.getTopic(topic).publish(payload, 0, false);
            return connectionLost.get(10, TimeUnit.SECONDS);
        }

        boolean isConnected() {
            return client.isConnected();
        }

        @Override
        public void close() throws MqttException {
            if (client.isConnected()) {
                client.disconnectForcibly(100, 100);
            }
            client.close(true);
        }
    }

    record Reply(boolean accepted, byte[] payload) {
        String text() {
            return new String(payload, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    static RawDevice connect(IotEmulator emulator, String certificatePem, String privateKeyPem, String clientId)
            throws Exception {
        return connect(emulator, certificatePem, privateKeyPem, clientId, true);
    }

    static RawDevice connect(
            IotEmulator emulator, String certificatePem, String privateKeyPem, String clientId, boolean cleanSession)
            throws Exception {
        return connect(emulator, certificatePem, privateKeyPem, clientId, cleanSession, (topic, message) -> {});
    }

    /** Connects with {@code onMessage} receiving what arrives on the session's subscriptions, from the first. */
    static RawDevice connect(
            IotEmulator emulator,
            String certificatePem,
            String privateKeyPem,
            String clientId,
            boolean cleanSession,
            java.util.function.BiConsumer<String, MqttMessage> onMessage)
            throws Exception {
        MqttClient client = new MqttClient("ssl://localhost:" + emulator.mqttPort(), clientId, new MemoryPersistence());
        RawDevice device = new RawDevice(client);
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                device.connectionLost.complete(cause);
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                onMessage.accept(topic, message);
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {}
        });
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(cleanSession);
        options.setConnectionTimeout(10);
        options.setAutomaticReconnect(false);
        options.setSocketFactory(emulator.clientSocketFactory(certificatePem, privateKeyPem));
        client.connect(options);
        return device;
    }
}
