package io.fleetprov.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetprov.emulator.EmulatorConfig;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.testing.SdkDevice;
import io.fleetprov.testing.TestTemplates;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iot.IotClient;

/**
 * The two halves of the trusted-user flow with the two official SDKs: the backend mints a claim with
 * aws-sdk-java-v2's {@code IotClient.createProvisioningClaim}, the device provisions with it through the AWS IoT
 * Device SDK, and the backend then sees the result through the control plane.
 */
class ControlPlaneDeviceFlowIT {

    private static final String DEVICE_TEMPLATE = TestTemplates.deviceTemplate("device-");

    private static final String TEMPLATE = "control-plane-flow";
    private static IotEmulator emulator;
    private static IotClient iot;

    @BeforeAll
    static void start() {
        emulator = IotEmulator.start(EmulatorConfig.builder().forTests().build());
        iot = AwsClients.iot(emulator);
        iot.createProvisioningTemplate(r -> r.templateName(TEMPLATE)
                .templateBody(DEVICE_TEMPLATE)
                .provisioningRoleArn(TestTemplates.ROLE)
                .enabled(true));
    }

    @AfterAll
    static void stop() {
        iot.close();
        emulator.close();
    }

    @Test
    void claimFromTheSdkProvisionsADeviceThroughTheDeviceSdk() throws Exception {
        var claim = iot.createProvisioningClaim(r -> r.templateName(TEMPLATE));
        String endpoint =
                iot.describeEndpoint(r -> r.endpointType("iot:Data-ATS")).endpointAddress();
        assertThat(endpoint).isEqualTo(emulator.mqttHost() + ":" + emulator.mqttPort());

        String certificateId;
        String thingName;
        try (SdkDevice device = SdkDevice.connect(
                emulator, claim.certificatePem(), claim.keyPair().privateKey(), "claim-SN-CP-1")) {
            var keys = device.createKeysAndCertificate();
            var registered =
                    device.registerThing(TEMPLATE, keys.certificateOwnershipToken, Map.of("SerialNumber", "SN-CP-1"));
            certificateId = keys.certificateId;
            thingName = registered.thingName;
        }

        assertThat(thingName).isEqualTo("device-SN-CP-1");
        var thing = iot.describeThing(r -> r.thingName(thingName));
        assertThat(thing.attributes()).containsEntry("location", "Seattle");
        var certificate =
                iot.describeCertificate(r -> r.certificateId(certificateId)).certificateDescription();
        assertThat(certificate.statusAsString()).isEqualTo("ACTIVE");
        assertThat(iot.listThingPrincipals(r -> r.thingName(thingName)).principals())
                .containsExactly(certificate.certificateArn());
        assertThat(iot.listPrincipalThings(r -> r.principal(certificate.certificateArn()))
                        .things())
                .containsExactly(thingName);
        assertThat(iot.listAttachedPolicies(r -> r.target(certificate.certificateArn()))
                        .policies())
                .hasSize(1);
        assertThat(iot.listCertificatesPaginator(r -> r.pageSize(10)).certificates())
                .anyMatch(c -> c.certificateId().equals(certificateId))
                .noneMatch(c -> c.certificateId().equals(claim.certificateId()));
    }
}
