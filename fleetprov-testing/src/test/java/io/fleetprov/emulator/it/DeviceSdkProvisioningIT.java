package io.fleetprov.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetprov.emulator.EmulatorConfig;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.ca.CsrBuilder;
import io.fleetprov.emulator.ca.KeyAlgorithm;
import io.fleetprov.emulator.ca.Pem;
import io.fleetprov.emulator.provisioning.ProvisioningClaim;
import io.fleetprov.emulator.registry.CertificateStatus;
import io.fleetprov.emulator.registry.Registry;
import io.fleetprov.testing.SdkDevice;
import io.fleetprov.testing.TestTemplates;
import java.security.KeyPair;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The complete trusted-user device flow, driven by the official AWS IoT Device SDK for Java v2 against the
 * emulator: claim → create certificate → RegisterThing → reconnect as the thing → a publish its policy allows.
 */
class DeviceSdkProvisioningIT {

    private static final String DEVICE_TEMPLATE = TestTemplates.deviceTemplate("device-");

    private static final String TEMPLATE = "sdk-fleet-template";
    private static IotEmulator emulator;

    @BeforeAll
    static void start() {
        emulator = IotEmulator.start(EmulatorConfig.builder().forTests().build());
        emulator.registry()
                .templates()
                .create(TEMPLATE, "device SDK flow", DEVICE_TEMPLATE, true, TestTemplates.ROLE, null, null);
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @Test
    void provisionsWithCreateKeysAndCertificate() throws Exception {
        ProvisioningClaim claim = emulator.createProvisioningClaim(TEMPLATE);
        String serial = "KEYS-" + UUID.randomUUID().toString().substring(0, 8);

        String certificatePem;
        String privateKey;
        String thingName;
        try (SdkDevice device =
                SdkDevice.connect(emulator, claim.certificatePem(), claim.privateKeyPem(), "claim-" + serial)) {
            var keys = device.createKeysAndCertificate();
            assertThat(keys.certificateId).hasSize(64);
            assertThat(keys.privateKey).startsWith("-----BEGIN EC PRIVATE KEY-----");
            assertThat(emulator.registry()
                            .certificates()
                            .get(keys.certificateId)
                            .status())
                    .isEqualTo(CertificateStatus.PENDING_ACTIVATION);

            var registered =
                    device.registerThing(TEMPLATE, keys.certificateOwnershipToken, Map.of("SerialNumber", serial));
            assertThat(registered.thingName).isEqualTo("device-" + serial);
            assertThat(registered.deviceConfiguration)
                    .containsEntry("LocationUrl", "https://example.aws")
                    .containsEntry("FallbackUrl", "https://www.example.com/test-site");
            certificatePem = keys.certificatePem;
            privateKey = keys.privateKey;
            thingName = registered.thingName;
            assertRegistered(keys.certificateId, thingName);
        }

        try (SdkDevice device = SdkDevice.connect(emulator, certificatePem, privateKey, thingName)) {
            String topic = "devices/" + thingName + "/telemetry";
            assertThat(device.publishAndReceive(topic, "{\"temperature\":21}")).isEqualTo("{\"temperature\":21}");
        }
    }

    @Test
    void provisionsWithCreateCertificateFromCsr() throws Exception {
        ProvisioningClaim claim = emulator.createProvisioningClaim(TEMPLATE);
        String serial = "CSR-" + UUID.randomUUID().toString().substring(0, 8);
        KeyPair deviceKey = KeyAlgorithm.EC_P256.generate();

        String certificatePem;
        String thingName;
        try (SdkDevice device =
                SdkDevice.connect(emulator, claim.certificatePem(), claim.privateKeyPem(), "claim-" + serial)) {
            var created = device.createCertificateFromCsr(CsrBuilder.build(deviceKey, serial));
            assertThat(Pem.parseCertificate(created.certificatePem).getPublicKey())
                    .isEqualTo(deviceKey.getPublic());

            var registered = device.registerThing(
                    TEMPLATE,
                    created.certificateOwnershipToken,
                    Map.of("SerialNumber", serial, "DeviceLocation", "Seattle"));
            assertThat(registered.thingName).isEqualTo("device-" + serial);
            certificatePem = created.certificatePem;
            thingName = registered.thingName;
            assertRegistered(created.certificateId, thingName);
        }

        try (SdkDevice device =
                SdkDevice.connect(emulator, certificatePem, Pem.privateKey(deviceKey.getPrivate()), thingName)) {
            String topic = "devices/" + thingName + "/status";
            assertThat(device.publishAndReceive(topic, "online")).isEqualTo("online");
        }
    }

    private static void assertRegistered(String certificateId, String thingName) {
        Registry registry = emulator.registry();
        var certificate = registry.certificates().get(certificateId);
        assertThat(certificate.status()).isEqualTo(CertificateStatus.ACTIVE);
        assertThat(registry.thingPrincipals(thingName)).containsExactly(certificate.certificateArn());
        assertThat(registry.things().get(thingName).attributes()).containsEntry("location", "Seattle");
        assertThat(registry.attachedPolicies(certificate.certificateArn())).hasSize(1);
    }
}
