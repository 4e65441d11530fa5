package io.fleetprov.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetprov.emulator.EmulatorConfig;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.ca.KeyAlgorithm;
import io.fleetprov.emulator.ca.Pem;
import io.fleetprov.emulator.provisioning.ProvisioningClaim;
import io.fleetprov.emulator.registry.CertificateRecord;
import io.fleetprov.emulator.registry.CertificateStatus;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Eclipse Paho's MQTT 5 client against the emulator, for what the device SDK does not show: reason codes of a
 * refused subscription, publish properties between MQTT 5 and MQTT 3.1.1 clients, and persistent sessions.
 */
class PahoMqtt5IT {

    private static final String ALLOW_ALL =
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iot:*\",\"Resource\":\"*\"}]}";

    private static IotEmulator emulator;
    private static Credentials device;

    @BeforeAll
    static void start() {
        emulator = IotEmulator.start(EmulatorConfig.builder().forTests().build());
        emulator.registry()
                .templates()
                .create("paho5-template", "paho", Templates.DEVICE_TEMPLATE, true, Templates.ROLE, null, null);
        emulator.registry().policies().create("allow-all", ALLOW_ALL);
        device = activeDevice();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @Test
    void publishPropertiesReachMqtt5SubscribersAndThePayloadReachesMqtt311Ones() throws Exception {
        String topic = "fleet/props/" + UUID.randomUUID();
        BlockingQueue<MqttMessage> v5Received = new LinkedBlockingQueue<>();
        BlockingQueue<org.eclipse.paho.client.mqttv3.MqttMessage> v3Received = new LinkedBlockingQueue<>();
        try (Client subscriber = Client.connect(device, "v5-sub-" + UUID.randomUUID(), true, 0);
                Client publisher = Client.connect(device, "v5-pub-" + UUID.randomUUID(), true, 0)) {
            var v3 = new org.eclipse.paho.client.mqttv3.MqttClient(
                    "ssl://" + emulator.mqttHost() + ":" + emulator.mqttPort(),
                    "v3-sub-" + UUID.randomUUID(),
                    new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
            var v3Options = new org.eclipse.paho.client.mqttv3.MqttConnectOptions();
            v3Options.setSocketFactory(emulator.clientSocketFactory(device.certificatePem(), device.privateKeyPem()));
            v3.connect(v3Options);
            try {
                v3.subscribe(topic, 1, (t, m) -> v3Received.add(m));
                subscriber.client.subscribe(
                        new org.eclipse.paho.mqttv5.common.MqttSubscription[] {
                            new org.eclipse.paho.mqttv5.common.MqttSubscription(topic, 1)
                        },
                        new org.eclipse.paho.mqttv5.client.IMqttMessageListener[] {(t, m) -> v5Received.add(m)});

                MqttMessage message = new MqttMessage("21.5".getBytes(StandardCharsets.UTF_8));
                message.setQos(1);
                MqttProperties properties = new MqttProperties();
                properties.setUserProperties(List.of(new UserProperty("unit", "celsius")));
                properties.setContentType("text/plain");
                message.setProperties(properties);
                publisher.client.publish(topic, message);

                MqttMessage v5 = v5Received.poll(20, TimeUnit.SECONDS);
                assertThat(v5).isNotNull();
                assertThat(new String(v5.getPayload(), StandardCharsets.UTF_8)).isEqualTo("21.5");
                assertThat(v5.getProperties().getUserProperties())
                        .extracting(p -> p.getKey() + "=" + p.getValue())
                        .containsExactly("unit=celsius");
                assertThat(v5.getProperties().getContentType()).isEqualTo("text/plain");

                var v3Message = v3Received.poll(20, TimeUnit.SECONDS);
                assertThat(v3Message).isNotNull();
                assertThat(new String(v3Message.getPayload(), StandardCharsets.UTF_8))
                        .isEqualTo("21.5");
            } finally {
                v3.disconnect();
                v3.close();
            }
        }
    }

    @Test
    void aForbiddenSubscriptionIsRefusedAndTheClientDisconnectedWithNotAuthorized() throws Exception {
        ProvisioningClaim claim = emulator.createProvisioningClaim("paho5-template");
        var credentials = new Credentials(claim.certificatePem(), claim.privateKeyPem());
        try (Client client = Client.connect(credentials, "claim-" + UUID.randomUUID(), true, 0)) {
            try {
                IMqttToken token = client.client.subscribe("not/a/provisioning/topic", 1);
                assertThat(token.getReasonCodes()).containsExactly(0x87);
            } catch (MqttException refusedOrDropped) {
                // The drop may overtake the SUBACK; the DISCONNECT below says why either way.
            }
            MqttDisconnectResponse disconnect = client.disconnected.get(20, TimeUnit.SECONDS);
            assertThat(disconnect.getReturnCode()).isEqualTo(0x87);
        }
    }

    @Test
    void aSessionWithAnExpiryIntervalKeepsItsSubscriptionsAndMessages() throws Exception {
        String clientId = "persistent-" + UUID.randomUUID();
        String topic = "fleet/session/" + UUID.randomUUID();
        try (Client first = Client.connect(device, clientId, true, 3600)) {
            first.client.subscribe(topic, 1);
        }
        try (Client publisher = Client.connect(device, "pub-" + UUID.randomUUID(), true, 0)) {
            MqttMessage message = new MqttMessage("while-away".getBytes(StandardCharsets.UTF_8));
            message.setQos(1);
            publisher.client.publish(topic, message);
        }
        try (Client again = Client.connect(device, clientId, false, 3600)) {
            assertThat(again.sessionPresent).isTrue();
            MqttMessage queued = again.messages.poll(20, TimeUnit.SECONDS);
            assertThat(queued).isNotNull();
            assertThat(new String(queued.getPayload(), StandardCharsets.UTF_8)).isEqualTo("while-away");
        }
        try (Client fresh = Client.connect(device, clientId, true, 0)) {
            assertThat(fresh.sessionPresent).isFalse();
        }
    }

    @Test
    void aSecondConnectionWithTheSameClientIdTakesTheSessionOver() throws Exception {
        String clientId = "twice-" + UUID.randomUUID();
        try (Client first = Client.connect(device, clientId, true, 0);
                Client second = Client.connect(device, clientId, true, 0)) {
            MqttDisconnectResponse disconnect = first.disconnected.get(20, TimeUnit.SECONDS);
            assertThat(disconnect.getReturnCode()).isEqualTo(0x8E);
            assertThat(second.client.isConnected()).isTrue();
        }
    }

    @Test
    void anMqtt5ClientHasPresenceEventsLikeAnyOther() throws Exception {
        String clientId = "presence5-" + UUID.randomUUID();
        try (Client listener = Client.connect(device, "listener-" + UUID.randomUUID(), true, 0)) {
            listener.client.subscribe("$aws/events/presence/+/" + clientId, 1);
            try (Client client = Client.connect(device, clientId, true, 0)) {
                assertThat(client.client.isConnected()).isTrue();
            }
            MqttMessage connected = listener.messages.poll(20, TimeUnit.SECONDS);
            MqttMessage disconnected = listener.messages.poll(20, TimeUnit.SECONDS);
            assertThat(connected).isNotNull();
            assertThat(disconnected).isNotNull();
            assertThat(new String(connected.getPayload(), StandardCharsets.UTF_8))
                    .contains("\"eventType\":\"connected\"")
                    .contains("\"clientId\":\"" + clientId + "\"");
            assertThat(new String(disconnected.getPayload(), StandardCharsets.UTF_8))
                    .contains("\"disconnectReason\":\"CLIENT_INITIATED_DISCONNECT\"");
        }
    }

    @Test
    void aPublishToATopicAwsReservesIsAnsweredWithDisconnect0x87() throws Exception {
        try (Client forger = Client.connect(device, "forger5-" + UUID.randomUUID(), true, 0)) {
            forger.client.publish(
                    "$aws/certificates/create/json/accepted",
                    "{\"certificateId\":\"forged\"}".getBytes(StandardCharsets.UTF_8),
                    0,
                    false);
            MqttDisconnectResponse disconnect = forger.disconnected.get(20, TimeUnit.SECONDS);
            assertThat(disconnect.getReturnCode()).isEqualTo(0x87);
        }
    }

    @Test
    void anotherCertificateIsRefusedAPersistentSessionWith0x87AndItsOwnerStaysConnected() throws Exception {
        String clientId = "owned5-" + UUID.randomUUID();
        ProvisioningClaim claim = emulator.createProvisioningClaim("paho5-template");
        var intruder = new Credentials(claim.certificatePem(), claim.privateKeyPem());
        try (Client owner = Client.connect(device, clientId, true, 3600)) {
            MqttException refused = null;
            try (Client taken = Client.connect(intruder, clientId, true, 0)) {
                assertThat(taken.client.isConnected())
                        .as("the intruder was accepted")
                        .isFalse();
            } catch (MqttException e) {
                refused = e;
            }
            assertThat(refused).isNotNull();
            assertThat(refused.getReasonCode()).isEqualTo(0x87);
            assertThat(owner.client.isConnected()).isTrue();
            assertThat(owner.disconnected).isNotDone();
        }
    }

    private static Credentials activeDevice() {
        KeyPair keyPair = KeyAlgorithm.EC_P256.generate();
        var certificate = emulator.ca()
                .issueClientCertificate(
                        keyPair.getPublic(), "paho device", Instant.now().plus(1, ChronoUnit.DAYS));
        CertificateRecord record =
                emulator.registry().certificates().register(certificate, CertificateStatus.ACTIVE, null);
        emulator.registry().attachPolicy("allow-all", record.certificateArn());
        return new Credentials(record.certificatePem(), Pem.privateKey(keyPair.getPrivate()));
    }

    private record Credentials(String certificatePem, String privateKeyPem) {}

    /** A connected Paho MQTT 5 client that records how it was disconnected and what arrived unasked. */
    private static final class Client implements AutoCloseable {
        final MqttClient client;
        final CompletableFuture<MqttDisconnectResponse> disconnected = new CompletableFuture<>();
        final BlockingQueue<MqttMessage> messages = new LinkedBlockingQueue<>();
        boolean sessionPresent;

        private Client(MqttClient client) {
            this.client = client;
        }

        static Client connect(Credentials credentials, String clientId, boolean cleanStart, long sessionExpiry)
                throws MqttException {
            var paho = new MqttClient(
                    "ssl://" + emulator.mqttHost() + ":" + emulator.mqttPort(), clientId, new MemoryPersistence());
            Client client = new Client(paho);
            paho.setCallback(new MqttCallback() {
                @Override
                public void disconnected(MqttDisconnectResponse response) {
                    client.disconnected.complete(response);
                }

                @Override
                public void mqttErrorOccurred(MqttException exception) {}

                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    client.messages.add(message);
                }

                @Override
                public void deliveryComplete(IMqttToken token) {}

                @Override
                public void connectComplete(boolean reconnect, String serverURI) {}

                @Override
                public void authPacketArrived(int reasonCode, MqttProperties properties) {}
            });
            var options = new MqttConnectionOptions();
            options.setSocketFactory(
                    emulator.clientSocketFactory(credentials.certificatePem(), credentials.privateKeyPem()));
            options.setCleanStart(cleanStart);
            options.setSessionExpiryInterval(sessionExpiry);
            options.setAutomaticReconnect(false);
            IMqttToken token = paho.connectWithResult(options);
            client.sessionPresent = token.getSessionPresent();
            return client;
        }

        @Override
        public void close() throws MqttException {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        }
    }
}
