package io.fleetprov.claims;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.events.ServiceIdentity;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** A downstream consumer of fleetprov events (like audit-service): its own identity, a raw MQTT subscription. */
final class EventListener implements AutoCloseable {

    record Received(String topic, JsonNode event, String raw) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    final List<Received> received = new CopyOnWriteArrayList<>();
    private final MqttClient client;

    private EventListener(MqttClient client) {
        this.client = client;
    }

    static EventListener subscribe(IotEmulator emulator) throws Exception {
        ServiceIdentity identity = emulator.createServiceIdentity("test-listener");
        MqttClient client = new MqttClient(
                "ssl://localhost:" + emulator.mqttPort(), "listener-" + UUID.randomUUID(), new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        options.setConnectionTimeout(10);
        options.setSocketFactory(emulator.clientSocketFactory(identity.certificatePem(), identity.privateKeyPem()));
        client.connect(options);
        EventListener listener = new EventListener(client);
        client.subscribe("fleetprov/events/#", 1, (topic, message) -> {
            String raw = new String(message.getPayload(), java.nio.charset.StandardCharsets.UTF_8);
            listener.received.add(new Received(topic, JSON.readTree(raw), raw));
        });
        return listener;
    }

    List<Received> about(String claimCertificateId) {
        return received.stream()
                .filter(r -> claimCertificateId.equals(
                        r.event().path("claimCertificateId").asText(null)))
                .toList();
    }

    List<Received> ofType(String type) {
        return received.stream()
                .filter(r -> type.equals(r.event().path("type").asText()))
                .toList();
    }

    @Override
    public void close() throws Exception {
        if (client.isConnected()) {
            client.disconnectForcibly(100, 100);
        }
        client.close(true);
    }
}
