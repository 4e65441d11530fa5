package io.fleetprov.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetprov.emulator.EmulatorConfig;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.ca.CsrBuilder;
import io.fleetprov.emulator.ca.KeyAlgorithm;
import io.fleetprov.emulator.ca.Pem;
import io.fleetprov.emulator.provisioning.ProvisioningClaim;
import io.fleetprov.emulator.registry.CertificateStatus;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.crt.mqtt5.QOS;
import software.amazon.awssdk.crt.mqtt5.packets.DisconnectPacket.DisconnectReasonCode;
import software.amazon.awssdk.crt.mqtt5.packets.PublishPacket;
import software.amazon.awssdk.crt.mqtt5.packets.SubAckPacket.SubAckReasonCode;
import software.amazon.awssdk.crt.mqtt5.packets.UserProperty;

/**
 * The trusted-user device flow over MQTT 5, as the AWS IoT Device SDK for Java v2's current samples run it
 * ({@code Mqtt5Client} + {@code IotIdentityV2Client}): claim → certificate → RegisterThing → reconnect with the
 * new certificate, and what AWS IoT's MQTT 5 answers look like on the way.
 */
class DeviceSdkMqtt5ProvisioningIT {

    private static final String TEMPLATE = "mqtt5-fleet-template";
    private static IotEmulator emulator;

    @BeforeAll
    static void start() {
        emulator = IotEmulator.start(EmulatorConfig.builder().forTests().build());
        emulator.registry()
                .templates()
                .create(TEMPLATE, "MQTT 5 flow", Templates.DEVICE_TEMPLATE, true, Templates.ROLE, null, null);
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @Test
    void provisionsWithCreateKeysAndCertificateAndReconnects() throws Exception {
        ProvisioningClaim claim = emulator.createProvisioningClaim(TEMPLATE);
        String serial = "K5-" + UUID.randomUUID().toString().substring(0, 8);

        String certificatePem;
        String privateKey;
        String thingName;
        try (var device =
                Mqtt5Device.connect(emulator, claim.certificatePem(), claim.privateKeyPem(), "claim-" + serial)) {
            var connAck = device.connection().getConnAckPacket();
            assertThat(connAck.getReceiveMaximum()).isEqualTo(100);
            assertThat(connAck.getTopicAliasMaximum()).isEqualTo(8);
            assertThat(connAck.getMaximumQOS()).isEqualTo(QOS.AT_LEAST_ONCE);
            assertThat(connAck.getRetainAvailable()).isTrue();
            assertThat(connAck.getMaximumPacketSize()).isGreaterThanOrEqualTo(128 * 1024L);

            var keys = device.createKeysAndCertificate();
            assertThat(keys.certificateId).hasSize(64);
            assertThat(emulator.registry()
                            .certificates()
                            .get(keys.certificateId)
                            .status())
                    .isEqualTo(CertificateStatus.PENDING_ACTIVATION);
            var registered =
                    device.registerThing(TEMPLATE, keys.certificateOwnershipToken, Map.of("SerialNumber", serial));
            assertThat(registered.thingName).isEqualTo("device-" + serial);
            assertThat(registered.deviceConfiguration)
                    .containsEntry("FallbackUrl", "https://www.example.com/test-site");
            assertThat(emulator.registry()
                            .certificates()
                            .get(keys.certificateId)
                            .status())
                    .isEqualTo(CertificateStatus.ACTIVE);
            certificatePem = keys.certificatePem;
            privateKey = keys.privateKey;
            thingName = registered.thingName;
        }

        try (var device = Mqtt5Device.connect(emulator, certificatePem, privateKey, thingName)) {
            String topic = "devices/" + thingName + "/telemetry";
            assertThat(device.subscribe(topic).getReasonCodes()).containsExactly(SubAckReasonCode.GRANTED_QOS_1);
            // Several publishes to one topic: the SDK's LRU aliasing sends the topic once, then the alias only.
            for (int i = 0; i < 3; i++) {
                device.publish(topic, "{\"n\":" + i + "}", List.of(new UserProperty("seq", Integer.toString(i))))
                        .get(Mqtt5Device.TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            for (int i = 0; i < 3; i++) {
                PublishPacket message = device.nextMessage();
                assertThat(message).isNotNull();
                assertThat(message.getTopic()).isEqualTo(topic);
                assertThat(new String(message.getPayload(), StandardCharsets.UTF_8))
                        .isEqualTo("{\"n\":" + i + "}");
                assertThat(message.getUserProperties())
                        .extracting(p -> p.key + "=" + p.value)
                        .containsExactly("seq=" + i);
            }
        }
    }

    @Test
    void provisionsWithCreateCertificateFromCsrAndReconnects() throws Exception {
        ProvisioningClaim claim = emulator.createProvisioningClaim(TEMPLATE);
        String serial = "C5-" + UUID.randomUUID().toString().substring(0, 8);
        KeyPair deviceKey = KeyAlgorithm.EC_P256.generate();

        String certificatePem;
        String thingName;
        try (var device =
                Mqtt5Device.connect(emulator, claim.certificatePem(), claim.privateKeyPem(), "claim-" + serial)) {
            var created = device.createCertificateFromCsr(CsrBuilder.build(deviceKey, serial));
            assertThat(Pem.parseCertificate(created.certificatePem).getPublicKey())
                    .isEqualTo(deviceKey.getPublic());
            var registered =
                    device.registerThing(TEMPLATE, created.certificateOwnershipToken, Map.of("SerialNumber", serial));
            assertThat(registered.thingName).isEqualTo("device-" + serial);
            certificatePem = created.certificatePem;
            thingName = registered.thingName;
        }

        try (var device =
                Mqtt5Device.connect(emulator, certificatePem, Pem.privateKey(deviceKey.getPrivate()), thingName)) {
            assertThat(device.connection().getConnAckPacket().getReasonCode().getValue())
                    .isZero();
        }
    }

    @Test
    void aForbiddenPublishIsADisconnectWithNotAuthorized() throws Exception {
        ProvisioningClaim claim = emulator.createProvisioningClaim(TEMPLATE);
        try (var device = Mqtt5Device.connect(
                emulator, claim.certificatePem(), claim.privateKeyPem(), "claim-forbidden-" + UUID.randomUUID())) {
            device.publish("not/a/provisioning/topic", "{}", List.of());
            var disconnection = device.disconnection().get(Mqtt5Device.TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertThat(disconnection.getDisconnectPacket()).isNotNull();
            assertThat(disconnection.getDisconnectPacket().getReasonCode())
                    .isEqualTo(DisconnectReasonCode.NOT_AUTHORIZED);
        }
    }

    @Test
    void aConnectThePolicyForbidsIsRefusedWithNotAuthorized() throws Exception {
        // A device certificate whose policy allows only the client id of its thing, connecting as another one.
        ProvisioningClaim claim = emulator.createProvisioningClaim(TEMPLATE);
        String serial = "N5-" + UUID.randomUUID().toString().substring(0, 8);
        String certificatePem;
        String privateKey;
        try (var device =
                Mqtt5Device.connect(emulator, claim.certificatePem(), claim.privateKeyPem(), "claim-" + serial)) {
            var keys = device.createKeysAndCertificate();
            device.registerThing(TEMPLATE, keys.certificateOwnershipToken, Map.of("SerialNumber", serial));
            certificatePem = keys.certificatePem;
            privateKey = keys.privateKey;
        }
        assertThat(org.assertj.core.api.Assertions.catchThrowable(
                        () -> Mqtt5Device.connect(emulator, certificatePem, privateKey, "someone-else")
                                .close()))
                .hasMessageContaining("NOT_AUTHORIZED");
    }
}
