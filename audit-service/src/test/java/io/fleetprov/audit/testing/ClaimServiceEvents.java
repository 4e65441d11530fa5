package io.fleetprov.audit.testing;

import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.events.ServiceIdentity;
import io.fleetprov.protocol.AwsEventTopics;
import io.fleetprov.protocol.codec.PayloadCodec;
import io.fleetprov.protocol.contract.Contracts;
import io.fleetprov.protocol.event.EventSigner;
import io.fleetprov.protocol.event.EventType;
import io.fleetprov.protocol.event.FleetEvent;
import io.fleetprov.protocol.event.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.paho.client.mqttv3.MqttClient;

/**
 * Publishes fleetprov events as claim-service does: its own service identity, QoS 1, {@code fleetprov/events/{type}},
 * each signed with fleet-protocol's contract test key ({@link #SIGNER}), which the test configuration trusts.
 */
public final class ClaimServiceEvents implements AutoCloseable {

    /** Signs as a trusted claim-service would. */
    public static final EventSigner SIGNER =
            EventSigner.fromPem(Contracts.EVENT_SIGNING_KEY_ID, Contracts.eventSigningKey());

    private final MqttClient client;

    public ClaimServiceEvents(IotEmulator emulator) throws Exception {
        ServiceIdentity identity = emulator.createServiceIdentity("claim-service");
        // A steady stream from one thread on a busy machine can outrun Paho's in-flight bookkeeping at 10.
        this.client = Mqtt.connect(
                emulator,
                identity.certificatePem(),
                identity.privateKeyPem(),
                "claim-service-" + UUID.randomUUID(),
                100);
    }

    public FleetEvent publish(FleetEvent event) throws Exception {
        return publishRaw(event.type().wire(), event);
    }

    public FleetEvent publishRaw(String topicType, FleetEvent event) throws Exception {
        publishBytes(AwsEventTopics.fleetprov(topicType), PayloadCodec.json().encode(event));
        return event;
    }

    /** {@code envelope} signed by {@link #SIGNER}: whatever it holds, it is from a trusted signer. */
    public void publishBytes(String topic, byte[] envelope) throws Exception {
        client.publish(topic, signed(envelope), 1, false);
    }

    /** {@code message} as it is: unsigned, or signed by whoever the caller chose. */
    public void publishAsIs(String topic, byte[] message) throws Exception {
        client.publish(topic, message, 1, false);
    }

    /** {@code events} (all of one type) as one {@link io.fleetprov.protocol.event.SignedBatch} on their type's topic. */
    public void publishBatch(List<FleetEvent> events) throws Exception {
        client.publish(AwsEventTopics.fleetprov(events.get(0).type().wire()), signedBatch(events), 1, false);
    }

    /** {@code events} as one batch signed by {@link #SIGNER}. */
    public static byte[] signedBatch(List<FleetEvent> events) {
        return SIGNER.signBatch(events.stream().map(PayloadCodec.json()::encode).toList())
                .getBytes(StandardCharsets.US_ASCII);
    }

    public static byte[] signed(byte[] envelope) {
        return SIGNER.sign(envelope).getBytes(StandardCharsets.US_ASCII);
    }

    public static FleetEvent claimIssued(String installer, String serial, String claimId) {
        return new FleetEvent(
                UUID.randomUUID().toString(),
                EventType.CLAIM_ISSUED,
                Instant.now(),
                "claim-service",
                installer,
                serial,
                "audit-template",
                claimId,
                null,
                null,
                null,
                null,
                trace());
    }

    public static FleetEvent claimRefused(String installer, String serial, String reason) {
        return new FleetEvent(
                UUID.randomUUID().toString(),
                EventType.CLAIM_REFUSED,
                Instant.now(),
                "claim-service",
                installer,
                serial,
                "audit-template",
                null,
                null,
                null,
                Outcome.REFUSED,
                reason,
                trace());
    }

    public static FleetEvent hookDecision(
            String installer, String serial, String claimId, String certificateId, boolean allowed, String reason) {
        return new FleetEvent(
                UUID.randomUUID().toString(),
                EventType.HOOK_DECISION,
                Instant.now(),
                "claim-service",
                installer,
                serial,
                "audit-template",
                claimId,
                certificateId,
                null,
                allowed ? Outcome.ALLOW : Outcome.DENY,
                reason,
                trace());
    }

    public static FleetEvent expiredUnused(String installer, String serial, String claimId) {
        return new FleetEvent(
                UUID.randomUUID().toString(),
                EventType.CLAIM_EXPIRED_UNUSED,
                Instant.now(),
                "claim-service",
                installer,
                serial,
                "audit-template",
                claimId,
                null,
                null,
                null,
                null,
                trace());
    }

    private static String trace() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    @Override
    public void close() throws Exception {
        if (client.isConnected()) {
            client.disconnect(2000);
        }
        client.close();
    }
}
