package io.fleetprov.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fleetprov.emulator.EmulatorConfig;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.registry.CertificateStatus;
import io.fleetprov.testing.SdkDevice;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.CreateKeysAndCertificateResponse;

/**
 * Provisioning by claim with a user-managed claim, as the AWS fleet-provisioning guide sets it up: the claim is an
 * ordinary certificate made with CreateKeysAndCertificate, allowed only what the documented claim policy attached to
 * it allows; devices get the documented device policy, which lets a certificate connect only as its own attached
 * thing. Control plane through aws-sdk-java-v2, device side through the AWS IoT Device SDK for Java v2 (1.23).
 */
class DeviceSdkUserManagedClaimIT {

    private static final String TEMPLATE = "user-claim-template";
    private static final String ARN = "arn:aws:iot:us-east-1:123456789012:";

    /** The claim policy of the fleet-provisioning guide ("Provisioning by claim"), for one template. */
    static String claimPolicy(String template, boolean withReceive) {
        String actions = withReceive ? "[\"iot:Publish\", \"iot:Receive\"]" : "[\"iot:Publish\"]";
        return """
                {"Version": "2012-10-17", "Statement": [
                  {"Effect": "Allow", "Action": ["iot:Connect"], "Resource": "*"},
                  {"Effect": "Allow", "Action": %s, "Resource": [
                    "%stopic/$aws/certificates/create/*",
                    "%stopic/$aws/provisioning-templates/%s/provision/*"]},
                  {"Effect": "Allow", "Action": "iot:Subscribe", "Resource": [
                    "%stopicfilter/$aws/certificates/create/*",
                    "%stopicfilter/$aws/provisioning-templates/%s/provision/*"]}]}""".formatted(actions, ARN, ARN, template, ARN, ARN, template);
    }

    /** The IoT policy examples' device policy: connect only as the thing the certificate is attached to. */
    static final String DEVICE_POLICY = """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "iot:Connect",
               "Resource": "arn:aws:iot:us-east-1:123456789012:client/${iot:Connection.Thing.ThingName}",
               "Condition": {"Bool": {"iot:Connection.Thing.IsAttached": "true"}}},
              {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"],
               "Resource": "arn:aws:iot:us-east-1:123456789012:topic/things/${iot:Connection.Thing.ThingName}/*"},
              {"Effect": "Allow", "Action": "iot:Subscribe",
               "Resource": "arn:aws:iot:us-east-1:123456789012:topicfilter/things/${iot:Connection.Thing.ThingName}/*"}]}""";

    /** Names the thing after the serial, attaches the existing device policy, activates the certificate. */
    static final String TEMPLATE_BODY = """
            {"Parameters": {"SerialNumber": {"Type": "String"}, "AWS::IoT::Certificate::Id": {"Type": "String"}},
             "Resources": {
               "certificate": {"Type": "AWS::IoT::Certificate",
                 "Properties": {"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}, "Status": "Active"}},
               "policy": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyName": "user-claim-device-policy"}},
               "thing": {"Type": "AWS::IoT::Thing", "Properties": {
                 "ThingName": {"Fn::Join": ["", ["sensor-", {"Ref": "SerialNumber"}]]},
                 "AttributePayload": {"serial": {"Ref": "SerialNumber"}}}}},
             "DeviceConfiguration": {"telemetryTopic": {"Fn::Sub": "things/sensor-${SerialNumber}/telemetry"}}}""";

    private static IotEmulator emulator;
    private static IotClient iot;

    @BeforeAll
    static void start() {
        emulator = IotEmulator.start(EmulatorConfig.builder().forTests().build());
        iot = AwsClients.iot(emulator);
        iot.createPolicy(r -> r.policyName("user-claim-policy").policyDocument(claimPolicy(TEMPLATE, true)));
        iot.createPolicy(
                r -> r.policyName("claim-policy-without-receive").policyDocument(claimPolicy(TEMPLATE, false)));
        iot.createPolicy(r -> r.policyName("user-claim-device-policy").policyDocument(DEVICE_POLICY));
        iot.createProvisioningTemplate(r -> r.templateName(TEMPLATE)
                .templateBody(TEMPLATE_BODY)
                .provisioningRoleArn("arn:aws:iam::123456789012:role/fleetprov-provisioning")
                .enabled(true));
    }

    @AfterAll
    static void stop() {
        iot.close();
        emulator.close();
    }

    @Test
    void provisionsReconnectsAsItselfAndPublishesWithinItsPolicy() throws Exception {
        CreateKeysAndCertificateResponse claim = userManagedClaim("user-claim-policy");
        String serial = UUID.randomUUID().toString().substring(0, 8);

        String thingName;
        String certificatePem;
        String privateKey;
        try (SdkDevice device = SdkDevice.connect(
                emulator, claim.certificatePem(), claim.keyPair().privateKey(), "claim-" + serial)) {
            var keys = device.createKeysAndCertificate();
            var registered =
                    device.registerThing(TEMPLATE, keys.certificateOwnershipToken, Map.of("SerialNumber", serial));
            thingName = registered.thingName;
            assertThat(thingName).isEqualTo("sensor-" + serial);
            assertThat(registered.deviceConfiguration)
                    .containsEntry("telemetryTopic", "things/" + thingName + "/telemetry");
            certificatePem = keys.certificatePem;
            privateKey = keys.privateKey;
            var certificate = emulator.registry().certificates().get(keys.certificateId);
            assertThat(certificate.status()).isEqualTo(CertificateStatus.ACTIVE);
            assertThat(iot.listAttachedPolicies(r -> r.target(certificate.certificateArn()))
                            .policies())
                    .extracting(p -> p.policyName())
                    .containsExactly("user-claim-device-policy");
        }

        try (SdkDevice device = SdkDevice.connect(emulator, certificatePem, privateKey, thingName)) {
            String topic = "things/" + thingName + "/telemetry";
            assertThat(device.publishAndReceive(topic, "{\"t\":21}")).isEqualTo("{\"t\":21}");
        }
        // The claim stays usable for the next device, as a user-managed claim is (until the user revokes it).
        assertThat(emulator.registry().certificates().get(claim.certificateId()).status())
                .isEqualTo(CertificateStatus.ACTIVE);
    }

    @Test
    void aClaimPolicyWithoutReceiveLeavesTheDeviceWithoutItsAnswer() throws Exception {
        CreateKeysAndCertificateResponse claim = userManagedClaim("claim-policy-without-receive");
        String clientId = "claim-" + UUID.randomUUID().toString().substring(0, 8);
        int before = emulator.registry().certificates().list(true).size();
        try (SdkDevice device = SdkDevice.connect(
                emulator, claim.certificatePem(), claim.keyPair().privateKey(), clientId)) {
            var answer = device.requestKeysAndCertificate();
            // The request itself is allowed (iot:Publish), so the emulator does the work and issues a certificate...
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> emulator.registry().certificates().list(true).size() > before);
            // ...but the answer is never delivered: the claim may not receive it. AWS keeps the connection.
            assertThatThrownBy(() -> answer.get(3, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
            assertThat(emulator.broker().connectedClients()).contains(clientId);
        }
    }

    /** A certificate made through the control plane, activated, with one policy attached: a user-managed claim. */
    private static CreateKeysAndCertificateResponse userManagedClaim(String policyName) {
        CreateKeysAndCertificateResponse claim = iot.createKeysAndCertificate(r -> r.setAsActive(true));
        iot.attachPolicy(r -> r.policyName(policyName).target(claim.certificateArn()));
        return claim;
    }
}
