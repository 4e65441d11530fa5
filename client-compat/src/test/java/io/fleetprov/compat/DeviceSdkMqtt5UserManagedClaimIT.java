package io.fleetprov.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetprov.emulator.EmulatorConfig;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.ca.Pem;
import io.fleetprov.emulator.registry.CertificateRecord;
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
import software.amazon.awssdk.crt.mqtt5.packets.PublishPacket;
import software.amazon.awssdk.crt.mqtt5.packets.SubAckPacket.SubAckReasonCode;

/**
 * Provisioning by claim with a user-managed claim over MQTT 5 (Device SDK 1.30 {@code Mqtt5Client} and
 * {@code IotIdentityV2Client}): the claim is an ordinary ACTIVE certificate with the fleet-provisioning guide's
 * claim policy attached, the device gets the documented device policy with
 * {@code "Bool": {"iot:Connection.Thing.IsAttached": "true"}}.
 */
class DeviceSdkMqtt5UserManagedClaimIT {

    private static final String TEMPLATE = "mqtt5-user-claim";
    private static final String ARN = "arn:aws:iot:us-east-1:123456789012:";

    private static final String CLAIM_POLICY = """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": ["iot:Connect"], "Resource": "*"},
              {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"], "Resource": [
                "%1$stopic/$aws/certificates/create/*", "%1$stopic/$aws/provisioning-templates/%2$s/provision/*"]},
              {"Effect": "Allow", "Action": "iot:Subscribe", "Resource": [
                "%1$stopicfilter/$aws/certificates/create/*",
                "%1$stopicfilter/$aws/provisioning-templates/%2$s/provision/*"]}]}""".formatted(ARN, TEMPLATE);

    private static final String DEVICE_POLICY = """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "iot:Connect",
               "Resource": "%1$sclient/${iot:Connection.Thing.ThingName}",
               "Condition": {"Bool": {"iot:Connection.Thing.IsAttached": "true"}}},
              {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"],
               "Resource": "%1$stopic/devices/${iot:Connection.Thing.ThingName}/*"},
              {"Effect": "Allow", "Action": "iot:Subscribe",
               "Resource": "%1$stopicfilter/devices/${iot:Connection.Thing.ThingName}/*"}]}""".formatted(ARN);

    private static final String TEMPLATE_BODY = """
            {"Parameters": {"SerialNumber": {"Type": "String"}, "AWS::IoT::Certificate::Id": {"Type": "String"}},
             "Resources": {
               "certificate": {"Type": "AWS::IoT::Certificate",
                 "Properties": {"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}, "Status": "Active"}},
               "policy": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyName": "mqtt5-device-policy"}},
               "thing": {"Type": "AWS::IoT::Thing",
                 "Properties": {"ThingName": {"Fn::Join": ["", ["device-", {"Ref": "SerialNumber"}]]}}}}}""";

    private static IotEmulator emulator;

    @BeforeAll
    static void start() {
        emulator = IotEmulator.start(EmulatorConfig.builder().forTests().build());
        var registry = emulator.registry();
        registry.policies().create("mqtt5-claim-policy", CLAIM_POLICY);
        registry.policies().create("mqtt5-device-policy", DEVICE_POLICY);
        registry.templates().create(TEMPLATE, null, TEMPLATE_BODY, true, Templates.ROLE, null, null);
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @Test
    void provisionsReconnectsAsItselfAndPublishesWithinItsPolicy() throws Exception {
        // What CreateKeysAndCertificate --set-as-active and AttachPolicy do on the control plane.
        KeyPair claimKey = emulator.provisioning().newKeyPair();
        CertificateRecord claim =
                emulator.provisioning().issueDeviceCertificate(claimKey.getPublic(), CertificateStatus.ACTIVE);
        emulator.registry().attachPolicy("mqtt5-claim-policy", claim.certificateArn());
        String serial = "U5-" + UUID.randomUUID().toString().substring(0, 8);

        String certificatePem;
        String privateKey;
        String thingName;
        try (var device = Mqtt5Device.connect(
                emulator, claim.certificatePem(), Pem.privateKey(claimKey.getPrivate()), "claim-" + serial)) {
            var keys = device.createKeysAndCertificate();
            var registered =
                    device.registerThing(TEMPLATE, keys.certificateOwnershipToken, Map.of("SerialNumber", serial));
            thingName = registered.thingName;
            assertThat(thingName).isEqualTo("device-" + serial);
            certificatePem = keys.certificatePem;
            privateKey = keys.privateKey;
        }

        try (var device = Mqtt5Device.connect(emulator, certificatePem, privateKey, thingName)) {
            String topic = "devices/" + thingName + "/telemetry";
            assertThat(device.subscribe(topic).getReasonCodes()).containsExactly(SubAckReasonCode.GRANTED_QOS_1);
            device.publish(topic, "{\"t\":1}", List.of()).get(Mqtt5Device.TIMEOUT_SECONDS, TimeUnit.SECONDS);
            PublishPacket message = device.nextMessage();
            assertThat(message).isNotNull();
            assertThat(new String(message.getPayload(), StandardCharsets.UTF_8)).isEqualTo("{\"t\":1}");
        }
        assertThat(org.assertj.core.api.Assertions.catchThrowable(
                        () -> Mqtt5Device.connect(emulator, certificatePem, privateKey, "not-" + thingName)
                                .close()))
                .as("IsAttached and the client id: only as its own thing")
                .hasMessageContaining("NOT_AUTHORIZED");
    }
}
