package io.fleetprov.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetprov.emulator.EmulatorConfig;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.events.ServiceIdentity;
import io.fleetprov.emulator.provisioning.ProvisioningClaim;
import io.fleetprov.emulator.registry.CertificateStatus;
import io.fleetprov.protocol.FleetTopics;
import io.fleetprov.protocol.PayloadFormat;
import io.fleetprov.protocol.codec.PayloadCodec;
import io.fleetprov.protocol.model.CreateKeysAndCertificateResponse;
import io.fleetprov.protocol.model.RegisterThingRequest;
import io.fleetprov.protocol.model.RegisterThingResponse;
import io.fleetprov.testing.TestTemplates;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iot.IotClient;

/**
 * The broker's rules as AWS IoT enforces them, each held by an attack: the attacker is refused, and what was already
 * accepted (another device's answer, a connected service, a persistent session's queued messages) is not lost.
 */
class BrokerRulesIT {

    private static final String TEMPLATE = "broker-rules";
    private static final String POLICY = "broker-rules-allow-all";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration GENEROUS = Duration.ofSeconds(10);

    private static IotEmulator emulator;

    @BeforeAll
    static void start() {
        emulator = IotEmulator.start(EmulatorConfig.builder().forTests().build());
        emulator.registry()
                .templates()
                .create(TEMPLATE, null, TestTemplates.deviceTemplate("device-"), true, TestTemplates.ROLE, null, null);
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @Test
    void aForgedAnswerOnAReservedTopicDisconnectsTheForgerAndTheWaitingDeviceStillProvisions() throws Exception {
        ProvisioningClaim forgerClaim = emulator.createProvisioningClaim(TEMPLATE);
        ProvisioningClaim honestClaim = emulator.createProvisioningClaim(TEMPLATE);
        String accepted = FleetTopics.accepted(FleetTopics.createKeysAndCertificate(PayloadFormat.JSON));
        List<String> seenByHonest = new CopyOnWriteArrayList<>();
        try (var honest = Devices.connect(
                        emulator,
                        honestClaim.certificatePem(),
                        honestClaim.privateKeyPem(),
                        "honest-" + UUID.randomUUID(),
                        true,
                        (topic, message) ->
                                seenByHonest.add(new String(message.getPayload(), StandardCharsets.UTF_8)));
                var forger = Devices.connect(
                        emulator,
                        forgerClaim.certificatePem(),
                        forgerClaim.privateKeyPem(),
                        "forger-" + UUID.randomUUID())) {
            honest.client.subscribe(accepted, 1);

            forger.publishAndAwaitDrop(accepted, "{\"certificateId\":\"forged\"}".getBytes(StandardCharsets.UTF_8));
            assertThat(forger.isConnected()).isFalse();

            var keysReply = honest.request(FleetTopics.createKeysAndCertificate(PayloadFormat.JSON), new byte[0]);
            assertThat(keysReply.accepted()).as(keysReply.text()).isTrue();
            var keys = PayloadCodec.json().decode(keysReply.payload(), CreateKeysAndCertificateResponse.class);
            String serial = "rules-" + UUID.randomUUID().toString().substring(0, 8);
            var registered = honest.request(
                    FleetTopics.registerThing(TEMPLATE, PayloadFormat.JSON),
                    PayloadCodec.json()
                            .encode(new RegisterThingRequest(
                                    keys.certificateOwnershipToken(), Map.of("SerialNumber", serial))));
            assertThat(registered.accepted()).as(registered.text()).isTrue();
            assertThat(PayloadCodec.json()
                            .decode(registered.payload(), RegisterThingResponse.class)
                            .thingName())
                    .isEqualTo("device-" + serial);
            assertThat(seenByHonest).noneMatch(payload -> payload.contains("forged"));
        }
    }

    @Test
    void everyKindOfPrincipalIsRefusedReservedTopics() throws Exception {
        ServiceIdentity service = emulator.createServiceIdentity("rules-events-writer");
        // Its policy allows publishing to $aws/events/*: the reserved topic wins over the policy.
        try (var writer = Devices.connect(
                emulator, service.certificatePem(), service.privateKeyPem(), "writer-" + UUID.randomUUID())) {
            writer.publishAndAwaitDrop("$aws/events/presence/connected/someone", "{}".getBytes(StandardCharsets.UTF_8));
        }
        Devices.Credentials device = Devices.activeDevice(emulator, POLICY);
        try (var thing = Devices.connect(
                emulator, device.certificatePem(), device.privateKeyPem(), "thing-" + UUID.randomUUID())) {
            thing.publishAndAwaitDrop("$aws/things/anything/shadow/update", "{}".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aRefusedConnectNeverDropsTheServiceHoldingTheClientId() throws Exception {
        ServiceIdentity audit = emulator.createServiceIdentity("rules-audit");
        String clientId = "audit-service-" + UUID.randomUUID();
        List<JsonNode> presence = new CopyOnWriteArrayList<>();
        try (var service = Devices.connect(
                emulator,
                audit.certificatePem(),
                audit.privateKeyPem(),
                clientId,
                false,
                (topic, message) -> presence.add(json(message.getPayload())))) {
            service.client.subscribe("$aws/events/presence/connected/+", 1);
            ProvisioningClaim claim = emulator.createProvisioningClaim(TEMPLATE);
            // The claim may connect, but the client id is the service's persistent session.
            MqttException refused = connectRefused(claim.certificatePem(), claim.privateKeyPem(), clientId);
            assertThat(refused.getReasonCode()).isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);
            // So is a device whose policy does not allow the client id, with a clean session or not.
            Devices.Credentials narrow = deviceWithPolicy(
                    "rules-own-client-id",
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iot:Connect\","
                            + "\"Resource\":\"arn:aws:iot:*:*:client/only-me\"}]}");
            assertThat(connectRefused(narrow.certificatePem(), narrow.privateKeyPem(), clientId)
                            .getReasonCode())
                    .isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);

            String someone = "someone-" + UUID.randomUUID();
            try (var other = Devices.connect(emulator, claim.certificatePem(), claim.privateKeyPem(), someone)) {
                await().atMost(GENEROUS)
                        .until(() -> presence.stream()
                                .anyMatch(e -> e.get("clientId").asText().equals(someone)));
            }
            assertThat(service.isConnected()).isTrue();
            assertThat(service.connectionLost).isNotDone();
        }
    }

    @Test
    void anotherCertificateCannotReopenAPersistentSessionAndTheOwnerStillGetsItsMessages() throws Exception {
        Devices.Credentials owner = Devices.activeDevice(emulator, POLICY);
        Devices.Credentials intruder = Devices.activeDevice(emulator, POLICY);
        String clientId = "persistent-" + UUID.randomUUID();
        String topic = "rules/queued/" + UUID.randomUUID();
        try (var first = Devices.connect(emulator, owner.certificatePem(), owner.privateKeyPem(), clientId, false)) {
            first.client.subscribe(topic, 1);
            first.client.disconnect(2000);
        }
        emulator.broker().publish(topic, "queued".getBytes(StandardCharsets.UTF_8), MqttQoS.AT_LEAST_ONCE);

        List<String> seenByIntruder = new CopyOnWriteArrayList<>();
        assertThatThrownBy(() -> Devices.connect(
                        emulator,
                        intruder.certificatePem(),
                        intruder.privateKeyPem(),
                        clientId,
                        false,
                        (t, m) -> seenByIntruder.add(new String(m.getPayload(), StandardCharsets.UTF_8))))
                .isInstanceOf(MqttException.class)
                .extracting(e -> ((MqttException) e).getReasonCode())
                .isEqualTo((int) MqttException.REASON_CODE_NOT_AUTHORIZED);

        List<String> seenByOwner = new CopyOnWriteArrayList<>();
        try (var back = Devices.connect(
                emulator,
                owner.certificatePem(),
                owner.privateKeyPem(),
                clientId,
                false,
                (t, m) -> seenByOwner.add(new String(m.getPayload(), StandardCharsets.UTF_8)))) {
            await().atMost(GENEROUS).until(() -> seenByOwner.contains("queued"));
        }
        assertThat(seenByIntruder).isEmpty();
    }

    @Test
    void receiveIsCheckedForEveryDeliveredMessage() throws Exception {
        String deny = "rules/denied/" + UUID.randomUUID();
        String allow = "rules/allowed/" + UUID.randomUUID();
        Devices.Credentials device =
                deviceWithPolicy("rules-receive-" + UUID.randomUUID(), TestTemplates.ALLOW_ALL_POLICY);
        List<String> seen = new CopyOnWriteArrayList<>();
        try (var subscriber = Devices.connect(
                emulator,
                device.certificatePem(),
                device.privateKeyPem(),
                "receiver-" + UUID.randomUUID(),
                true,
                (t, m) -> seen.add(new String(m.getPayload(), StandardCharsets.UTF_8)))) {
            subscriber.client.subscribe(new String[] {deny, allow}, new int[] {1, 1});
            emulator.broker().publish(deny, "before".getBytes(StandardCharsets.UTF_8), MqttQoS.AT_LEAST_ONCE);
            await().atMost(GENEROUS).until(() -> seen.contains("before"));

            // After subscribe, the policy loses iot:Receive on the first topic.
            String arn = emulator.registry()
                    .certificates()
                    .get(device.certificateId())
                    .certificateArn();
            String narrower = "rules-receive-narrow-" + UUID.randomUUID();
            emulator.registry()
                    .policies()
                    .create(
                            narrower,
                            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iot:*\","
                                    + "\"Resource\":\"*\"},{\"Effect\":\"Deny\",\"Action\":\"iot:Receive\","
                                    + "\"Resource\":\"arn:aws:iot:*:*:topic/" + deny + "\"}]}");
            emulator.registry().attachPolicy(narrower, arn);

            emulator.broker().publish(deny, "after".getBytes(StandardCharsets.UTF_8), MqttQoS.AT_LEAST_ONCE);
            emulator.broker().publish(allow, "marker".getBytes(StandardCharsets.UTF_8), MqttQoS.AT_LEAST_ONCE);
            await().atMost(GENEROUS).until(() -> seen.contains("marker"));
            assertThat(seen).doesNotContain("after");
            assertThat(subscriber.isConnected()).isTrue();
        }
    }

    @Test
    void updateCertificateToInactiveOrRevokedClosesItsConnections() throws Exception {
        try (IotClient iot = AwsClients.iot(emulator)) {
            for (var status : List.of(
                    software.amazon.awssdk.services.iot.model.CertificateStatus.INACTIVE,
                    software.amazon.awssdk.services.iot.model.CertificateStatus.REVOKED)) {
                Devices.Credentials device = Devices.activeDevice(emulator, POLICY);
                Devices.Credentials bystander = Devices.activeDevice(emulator, POLICY);
                try (var connected = Devices.connect(
                                emulator,
                                device.certificatePem(),
                                device.privateKeyPem(),
                                "revoked-" + UUID.randomUUID());
                        var other = Devices.connect(
                                emulator,
                                bystander.certificatePem(),
                                bystander.privateKeyPem(),
                                "bystander-" + UUID.randomUUID())) {
                    iot.updateCertificate(
                            b -> b.certificateId(device.certificateId()).newStatus(status));
                    await().atMost(GENEROUS).until(connected.connectionLost::isDone);
                    assertThat(other.isConnected()).isTrue();
                }
            }
        }
    }

    @Test
    void aSecondConnectionOfARevokedCertificateIsRefusedEvenIfItsTlsSessionIsResumed() throws Exception {
        Devices.Credentials device = Devices.activeDevice(emulator, POLICY);
        // One socket factory for both connections, so that the client offers to resume its first TLS session.
        SSLSocketFactory tls = emulator.clientSocketFactory(device.certificatePem(), device.privateKeyPem());
        String clientId = "resumer-" + UUID.randomUUID();
        MqttClient first = connectWith(tls, clientId);
        first.disconnect(2000);
        first.close();

        emulator.registry().certificates().updateStatus(device.certificateId(), CertificateStatus.REVOKED);

        assertThatThrownBy(() -> connectWith(tls, clientId)).isInstanceOf(MqttException.class);
    }

    @Test
    void qos2IsRefusedByClosingTheConnection() throws Exception {
        Devices.Credentials device = Devices.activeDevice(emulator, POLICY);
        try (var publisher = Devices.connect(
                emulator, device.certificatePem(), device.privateKeyPem(), "qos2-pub-" + UUID.randomUUID())) {
            // Paho waits for the PUBREC that never comes: the connection ends instead.
            assertThatThrownBy(() -> publisher.client.publish("rules/qos2", new byte[] {1}, 2, false))
                    .isInstanceOf(MqttException.class);
            await().atMost(GENEROUS).until(publisher.connectionLost::isDone);
        }
        try (var subscriber = Devices.connect(
                emulator, device.certificatePem(), device.privateKeyPem(), "qos2-sub-" + UUID.randomUUID())) {
            assertThatThrownBy(() -> subscriber.client.subscribe("rules/qos2", 2))
                    .isInstanceOf(MqttException.class);
            await().atMost(GENEROUS).until(subscriber.connectionLost::isDone);
        }
    }

    @Test
    void presenceEventsCarryThePrincipalWhenAClientIdChangesHandsAtOnce() throws Exception {
        ServiceIdentity listenerIdentity = emulator.createServiceIdentity("rules-presence");
        List<JsonNode> events = new CopyOnWriteArrayList<>();
        String clientId = "handover-" + UUID.randomUUID();
        try (var listener = Devices.connect(
                emulator,
                listenerIdentity.certificatePem(),
                listenerIdentity.privateKeyPem(),
                "presence-listener-" + UUID.randomUUID(),
                true,
                (t, m) -> events.add(json(m.getPayload())))) {
            listener.client.subscribe("$aws/events/presence/+/" + clientId, 1);
            ProvisioningClaim claim = emulator.createProvisioningClaim(TEMPLATE);
            Devices.Credentials thing = Devices.activeDevice(emulator, POLICY);
            int rounds = 3;
            for (int i = 0; i < rounds; i++) {
                var claimConnection =
                        Devices.connect(emulator, claim.certificatePem(), claim.privateKeyPem(), clientId);
                // The thing takes the client id over while the claim still holds it, or right after it let go.
                if (i % 2 == 0) {
                    claimConnection.client.disconnectForcibly(0, 0, false);
                }
                var thingConnection =
                        Devices.connect(emulator, thing.certificatePem(), thing.privateKeyPem(), clientId);
                thingConnection.close();
                claimConnection.client.close(true);
            }
            await().atMost(GENEROUS)
                    .until(() -> events.stream()
                                    .filter(e -> e.get("eventType").asText().equals("disconnected"))
                                    .count()
                            == 2L * rounds);
            List<String> connectedPrincipals = events.stream()
                    .filter(e -> e.get("eventType").asText().equals("connected"))
                    .map(e -> e.get("principalIdentifier").asText(null))
                    .toList();
            assertThat(connectedPrincipals).hasSize(2 * rounds);
            for (int i = 0; i < rounds; i++) {
                assertThat(connectedPrincipals.subList(2 * i, 2 * i + 2))
                        .containsExactly(claim.certificateId(), thing.certificateId());
            }
            assertThat(events)
                    .allSatisfy(e -> assertThat(e.get("principalIdentifier").asText(null))
                            .isIn(claim.certificateId(), thing.certificateId()));
        }
    }

    private static JsonNode json(byte[] payload) {
        try {
            return JSON.readTree(payload);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Devices.Credentials deviceWithPolicy(String policyName, String document) {
        Devices.Credentials device = Devices.activeDevice(emulator, POLICY);
        String arn =
                emulator.registry().certificates().get(device.certificateId()).certificateArn();
        emulator.registry().detachPolicy(POLICY, arn);
        emulator.registry().policies().create(policyName, document);
        emulator.registry().attachPolicy(policyName, arn);
        return device;
    }

    private static MqttException connectRefused(String certificatePem, String privateKeyPem, String clientId) {
        try {
            Devices.connect(emulator, certificatePem, privateKeyPem, clientId).close();
        } catch (MqttException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError("expected an MQTT refusal", e);
        }
        throw new AssertionError("the connection was accepted");
    }

    private static MqttClient connectWith(SSLSocketFactory tls, String clientId) throws MqttException {
        MqttClient client = new MqttClient("ssl://localhost:" + emulator.mqttPort(), clientId, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setConnectionTimeout(10);
        options.setSocketFactory(tls);
        try {
            client.connect(options);
        } catch (MqttException e) {
            client.close(true);
            throw e;
        }
        return client;
    }
}
