package io.fleetprov.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetprov.emulator.EmulatorConfig;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.events.ServiceIdentity;
import io.fleetprov.emulator.provisioning.ProvisioningClaim;
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
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Registry and lifecycle events, as a real MQTT subscriber with a service identity sees them. */
class EventsIT {

    private static final String DEVICE_TEMPLATE = TestTemplates.deviceTemplate("device-");

    private static final String TEMPLATE = "events-template";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static IotEmulator emulator;

    private Devices.RawDevice listener;
    private final List<Event> events = new CopyOnWriteArrayList<>();

    record Event(String topic, JsonNode body) {}

    @BeforeAll
    static void start() {
        emulator = IotEmulator.start(EmulatorConfig.builder().forTests().build());
        emulator.registry().templates().create(TEMPLATE, null, DEVICE_TEMPLATE, true, TestTemplates.ROLE, null, null);
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @BeforeEach
    void subscribe() throws Exception {
        ServiceIdentity identity = emulator.createServiceIdentity("audit-service");
        listener = Devices.connect(
                emulator, identity.certificatePem(), identity.privateKeyPem(), "audit-" + UUID.randomUUID());
        listener.client.subscribe(
                "$aws/events/#",
                1,
                (topic, message) -> events.add(new Event(topic, JSON.readTree(message.getPayload()))));
    }

    @AfterEach
    void unsubscribe() throws Exception {
        listener.close();
        emulator.registry().eventConfigurations().update(Map.of("THING", false));
    }

    @Test
    void thingCreatedEventWhenThingEventsAreEnabled() throws Exception {
        emulator.registry().eventConfigurations().update(Map.of("THING", true));
        String thingName = provision("on-" + UUID.randomUUID().toString().substring(0, 6));

        Event created = awaitEvent("$aws/events/thing/" + thingName + "/created");
        JsonNode body = created.body();
        assertThat(body.get("eventType").asText()).isEqualTo("THING_EVENT");
        assertThat(body.get("operation").asText()).isEqualTo("CREATED");
        assertThat(body.get("thingName").asText()).isEqualTo(thingName);
        assertThat(body.get("thingId").asText())
                .isEqualTo(emulator.registry().things().get(thingName).thingId());
        assertThat(body.get("accountId").asText()).isEqualTo("123456789012");
        assertThat(body.get("versionNumber").asLong()).isEqualTo(1);
        assertThat(body.get("thingTypeName").isNull()).isTrue();
        assertThat(body.get("attributes").get("location").asText()).isEqualTo("Seattle");
        assertThat(body.get("eventId").asText()).isNotBlank();
        assertThat(body.get("timestamp").asLong()).isPositive();

        emulator.registry().deleteThing(thingName, null);
        assertThat(awaitEvent("$aws/events/thing/" + thingName + "/deleted")
                        .body()
                        .get("operation")
                        .asText())
                .isEqualTo("DELETED");
    }

    @Test
    void noThingEventsByDefault() throws Exception {
        String thingName = provision("off-" + UUID.randomUUID().toString().substring(0, 6));
        // The presence events of the same device prove the listener was receiving meanwhile.
        awaitEvent("$aws/events/presence/disconnected/" + thingName);
        assertThat(events).noneMatch(e -> e.topic().startsWith("$aws/events/thing/"));
    }

    @Test
    void presenceEventsForConnectAndClientDisconnect() throws Exception {
        String thingName = provision("presence-" + UUID.randomUUID().toString().substring(0, 6));
        JsonNode connected =
                awaitEvent("$aws/events/presence/connected/" + thingName).body();
        JsonNode disconnected =
                awaitEvent("$aws/events/presence/disconnected/" + thingName).body();

        String certificateArn = emulator.registry().thingPrincipals(thingName).get(0);
        String certificateId = certificateArn.substring(certificateArn.indexOf("cert/") + 5);
        assertThat(connected.get("clientId").asText()).isEqualTo(thingName);
        assertThat(connected.get("eventType").asText()).isEqualTo("connected");
        assertThat(connected.get("principalIdentifier").asText()).isEqualTo(certificateId);
        assertThat(connected.get("ipAddress").asText()).isEqualTo("127.0.0.1");
        assertThat(disconnected.get("eventType").asText()).isEqualTo("disconnected");
        assertThat(disconnected.get("sessionIdentifier").asText())
                .isEqualTo(connected.get("sessionIdentifier").asText());
        assertThat(disconnected.get("versionNumber").asLong())
                .isEqualTo(connected.get("versionNumber").asLong());
        assertThat(disconnected.get("clientInitiatedDisconnect").asBoolean()).isTrue();
        assertThat(disconnected.get("disconnectReason").asText()).isEqualTo("CLIENT_INITIATED_DISCONNECT");
        assertThat(disconnected.has("ipAddress")).isFalse();
    }

    @Test
    void forbiddenPublishGivesForbiddenAccess() throws Exception {
        ProvisioningClaim claim = emulator.createProvisioningClaim(TEMPLATE);
        String clientId = "claim-" + UUID.randomUUID();
        try (var device = Devices.connect(emulator, claim.certificatePem(), claim.privateKeyPem(), clientId)) {
            awaitEvent("$aws/events/presence/connected/" + clientId);
            device.publishAndAwaitDrop("not/allowed", new byte[] {1});
            JsonNode disconnected =
                    awaitEvent("$aws/events/presence/disconnected/" + clientId).body();
            assertThat(disconnected.get("disconnectReason").asText()).isEqualTo("FORBIDDEN_ACCESS");
            assertThat(disconnected.get("clientInitiatedDisconnect").asBoolean())
                    .isFalse();
        }
    }

    @Test
    void duplicateClientIdDropsTheOlderConnection() throws Exception {
        ProvisioningClaim claim = emulator.createProvisioningClaim(TEMPLATE);
        String clientId = "dup-" + UUID.randomUUID();
        try (var first = Devices.connect(emulator, claim.certificatePem(), claim.privateKeyPem(), clientId)) {
            awaitEvent("$aws/events/presence/connected/" + clientId);
            try (var second = Devices.connect(emulator, claim.certificatePem(), claim.privateKeyPem(), clientId)) {
                assertThat(first.connectionLost).succeedsWithin(Duration.ofSeconds(10));
                assertThat(second.isConnected()).isTrue();
                JsonNode disconnected = awaitEvent("$aws/events/presence/disconnected/" + clientId)
                        .body();
                assertThat(disconnected.get("disconnectReason").asText()).isEqualTo("DUPLICATE_CLIENTID");
            }
        }
    }

    @Test
    void persistentSessionKeepsItsSubscriptionsAcrossReconnects() throws Exception {
        ServiceIdentity identity = emulator.createServiceIdentity("persistent-listener");
        String clientId = "persistent-" + UUID.randomUUID();
        try (var first =
                Devices.connect(emulator, identity.certificatePem(), identity.privateKeyPem(), clientId, false)) {
            first.client.subscribe("$aws/events/presence/connected/#", 1);
            first.client.disconnect(2000);
        }
        var received = new java.util.concurrent.CompletableFuture<String>();
        String deviceId = "claim-" + UUID.randomUUID();
        try (var again =
                Devices.connect(emulator, identity.certificatePem(), identity.privateKeyPem(), clientId, false)) {
            again.client.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {}

                @Override
                public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
                    if (topic.endsWith("/" + deviceId)) {
                        received.complete(topic);
                    }
                }

                @Override
                public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {}
            });
            ProvisioningClaim claim = emulator.createProvisioningClaim(TEMPLATE);
            try (var device = Devices.connect(emulator, claim.certificatePem(), claim.privateKeyPem(), deviceId)) {
                // Not subscribed again: the session's subscription from before must still deliver.
                assertThat(received)
                        .succeedsWithin(Duration.ofSeconds(10))
                        .isEqualTo("$aws/events/presence/connected/" + deviceId);
                assertThat(again.isConnected()).isTrue();
            }
        }
    }

    @Test
    void unacknowledgedMessagesAreDeliveredAgainWhenAPersistentSessionReconnects() throws Exception {
        ServiceIdentity identity = emulator.createServiceIdentity("redelivery-listener");
        String clientId = "redelivery-" + UUID.randomUUID();
        String topic = "fleetprov/events/" + clientId;
        Set<String> unacknowledged = ConcurrentHashMap.newKeySet();
        var first = Devices.connect(
                emulator,
                identity.certificatePem(),
                identity.privateKeyPem(),
                clientId,
                false,
                (t, message) -> unacknowledged.add(new String(message.getPayload(), StandardCharsets.UTF_8)));
        first.client.setManualAcks(true);
        first.client.subscribe(topic, 1);
        publish(topic, "sent-1", "sent-2", "sent-3");
        await().atMost(Duration.ofSeconds(10)).until(() -> unacknowledged.size() == 3);
        // Gone without a DISCONNECT and without acknowledging; more messages are queued while it is away.
        first.client.disconnectForcibly(0, 0, false);
        first.client.close(true);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !emulator.broker().connectedClients().contains(clientId));
        publish(topic, "queued-1", "queued-2", "queued-3");

        Set<String> received = ConcurrentHashMap.newKeySet();
        try (var again = Devices.connect(
                emulator,
                identity.certificatePem(),
                identity.privateKeyPem(),
                clientId,
                false,
                (t, message) -> received.add(new String(message.getPayload(), StandardCharsets.UTF_8)))) {
            // QoS 1 is at least once: every message arrives, the unacknowledged ones possibly twice.
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(received)
                            .containsExactlyInAnyOrder(
                                    "sent-1", "sent-2", "sent-3", "queued-1", "queued-2", "queued-3"));
        }
    }

    @Test
    void serviceIdentityIsLimitedToEventTopics() throws Exception {
        ServiceIdentity identity = emulator.createServiceIdentity("claim-service");
        try (var service = Devices.connect(
                emulator, identity.certificatePem(), identity.privateKeyPem(), "claim-service-" + UUID.randomUUID())) {
            service.client.publish("fleetprov/events/ClaimIssued", "{}".getBytes(), 1, false);
            assertThat(service.isConnected()).isTrue();
            assertThat(service.publishAndAwaitDrop("devices/x/telemetry", "{}".getBytes()))
                    .isNotNull();
        }
    }

    private String provision(String serial) throws Exception {
        ProvisioningClaim claim = emulator.createProvisioningClaim(TEMPLATE);
        CreateKeysAndCertificateResponse keys;
        RegisterThingResponse registered;
        try (var device = Devices.connect(emulator, claim.certificatePem(), claim.privateKeyPem(), "claim-" + serial)) {
            var keysReply = device.request(FleetTopics.createKeysAndCertificate(PayloadFormat.JSON), new byte[0]);
            keys = PayloadCodec.json().decode(keysReply.payload(), CreateKeysAndCertificateResponse.class);
            var reply = device.request(
                    FleetTopics.registerThing(TEMPLATE, PayloadFormat.JSON),
                    PayloadCodec.json()
                            .encode(new RegisterThingRequest(
                                    keys.certificateOwnershipToken(), Map.of("SerialNumber", serial))));
            assertThat(reply.accepted()).as(reply.text()).isTrue();
            registered = PayloadCodec.json().decode(reply.payload(), RegisterThingResponse.class);
        }
        try (var device = Devices.connect(emulator, keys.certificatePem(), keys.privateKey(), registered.thingName())) {
            device.client.disconnect(2000);
        }
        return registered.thingName();
    }

    private static void publish(String topic, String... payloads) {
        for (String payload : payloads) {
            emulator.broker().publish(topic, payload.getBytes(StandardCharsets.UTF_8), MqttQoS.AT_LEAST_ONCE);
        }
    }

    private Event awaitEvent(String topic) {
        return await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> events.stream()
                                .filter(e -> e.topic().equals(topic))
                                .findFirst()
                                .orElse(null),
                        java.util.Objects::nonNull);
    }
}
