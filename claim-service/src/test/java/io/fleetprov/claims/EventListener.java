package io.fleetprov.claims;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.events.ServiceIdentity;
import io.fleetprov.protocol.event.EventKeys;
import io.fleetprov.protocol.event.EventSignatureException;
import io.fleetprov.protocol.event.EventVerifier;
import io.fleetprov.protocol.event.SignedBatch;
import io.fleetprov.protocol.event.SignedEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A downstream consumer of fleetprov events (like audit-service): its own identity, a raw MQTT subscription, and
 * claim-service's public key. Every message is verified as audit-service would: those that verify are in
 * {@link #received} (the envelope as {@code event} and {@code raw}, the compact JWS as {@code message}: a signed
 * batch gives one of each of its events, all with the batch's message), any that does not is in {@link #refused}.
 */
final class EventListener implements AutoCloseable {

    record Received(String topic, JsonNode event, String raw, String signer, String message) {}

    record Refused(String topic, String reason) {}

    /** The test signing key of claim-service (application.properties, %test) and the kid it signs under. */
    static final Path SIGNING_KEY = Path.of("src/test/resources/event-signing-test-key.pem");

    static final String KID = "claim-service-test";

    private static final ObjectMapper JSON = new ObjectMapper();

    final List<Received> received = new CopyOnWriteArrayList<>();
    final List<Refused> refused = new CopyOnWriteArrayList<>();
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
        EventVerifier verifier = verifier();
        client.subscribe("fleetprov/events/#", 1, (topic, message) -> {
            try {
                String compact = new String(message.getPayload(), StandardCharsets.US_ASCII);
                if (EventVerifier.isBatch(message.getPayload())) {
                    // One Received per event of the batch, each with the batch's message.
                    SignedBatch batch = verifier.verifyBatch(message.getPayload());
                    for (byte[] envelope : batch.envelopes()) {
                        String raw = new String(envelope, StandardCharsets.UTF_8);
                        listener.received.add(new Received(topic, JSON.readTree(raw), raw, batch.signer(), compact));
                    }
                    return;
                }
                SignedEvent signed = verifier.verify(message.getPayload());
                String raw = new String(signed.envelope(), StandardCharsets.UTF_8);
                listener.received.add(new Received(topic, JSON.readTree(raw), raw, signed.signer(), compact));
            } catch (EventSignatureException e) {
                listener.refused.add(new Refused(topic, e.getMessage()));
            }
        });
        return listener;
    }

    /** Trusts claim-service's test key, and nothing else. */
    static EventVerifier verifier() throws IOException {
        return verifier(KID);
    }

    /** Trusts claim-service's test key under {@code kid}. */
    static EventVerifier verifier(String kid) throws IOException {
        return new EventVerifier(
                Map.of(kid, EventKeys.publicKey(Files.readString(SIGNING_KEY, StandardCharsets.US_ASCII))));
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
