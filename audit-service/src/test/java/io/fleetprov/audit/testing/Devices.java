package io.fleetprov.audit.testing;

import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.provisioning.ProvisioningClaim;
import io.fleetprov.protocol.FleetTopics;
import io.fleetprov.protocol.PayloadFormat;
import io.fleetprov.protocol.codec.PayloadCodec;
import io.fleetprov.protocol.model.CreateKeysAndCertificateResponse;
import io.fleetprov.protocol.model.RegisterThingRequest;
import io.fleetprov.protocol.model.RegisterThingResponse;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttMessageListener;
import org.eclipse.paho.client.mqttv3.MqttClient;

/** A device going through fleet provisioning against the emulator with a raw MQTT client. */
public final class Devices {

    public static final String TEMPLATE = "audit-template";

    private Devices() {}

    /** What provisioning gave the device. */
    public record Provisioned(
            String claimCertificateId,
            String certificateId,
            String certificatePem,
            String privateKeyPem,
            String thingName) {}

    /** Claim → CreateKeysAndCertificate → RegisterThing; the device does not reconnect yet. */
    public static Provisioned provision(IotEmulator emulator, String serial) throws Exception {
        ProvisioningClaim claim = emulator.createProvisioningClaim(TEMPLATE);
        MqttClient device =
                Mqtt.connect(emulator, claim.certificatePem(), claim.privateKeyPem(), "claim-" + UUID.randomUUID());
        try {
            CreateKeysAndCertificateResponse keys = PayloadCodec.json()
                    .decode(
                            request(device, FleetTopics.createKeysAndCertificate(PayloadFormat.JSON), new byte[0]),
                            CreateKeysAndCertificateResponse.class);
            RegisterThingResponse registered = PayloadCodec.json()
                    .decode(
                            request(
                                    device,
                                    FleetTopics.registerThing(TEMPLATE, PayloadFormat.JSON),
                                    PayloadCodec.json()
                                            .encode(new RegisterThingRequest(
                                                    keys.certificateOwnershipToken(), Map.of("SerialNumber", serial)))),
                            RegisterThingResponse.class);
            return new Provisioned(
                    claim.certificateId(),
                    keys.certificateId(),
                    keys.certificatePem(),
                    keys.privateKey(),
                    registered.thingName());
        } finally {
            device.disconnect(2000);
            device.close();
        }
    }

    /** Connects with the device's own certificate (client id = thing name), then disconnects. */
    public static void reconnect(IotEmulator emulator, Provisioned device) throws Exception {
        MqttClient client = Mqtt.connect(emulator, device.certificatePem(), device.privateKeyPem(), device.thingName());
        client.disconnect(2000);
        client.close();
    }

    private static byte[] request(MqttClient client, String topic, byte[] payload) throws Exception {
        CompletableFuture<byte[]> accepted = new CompletableFuture<>();
        client.subscribe(
                new String[] {topic + "/accepted", topic + "/rejected"}, new int[] {1, 1}, new IMqttMessageListener[] {
                    (t, m) -> accepted.complete(m.getPayload()),
                    (t, m) -> accepted.completeExceptionally(
                            new IllegalStateException("rejected: " + new String(m.getPayload())))
                });
        client.publish(topic, payload, 1, false);
        return accepted.get(10, TimeUnit.SECONDS);
    }
}
