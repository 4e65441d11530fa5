package io.fleetprov.claims;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.registry.CertificateStatus;
import io.fleetprov.testing.SdkDevice;
import io.fleetprov.testing.quarkus.InjectIotEmulator;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.iot.iotidentity.model.CreateKeysAndCertificateResponse;

/**
 * One device per serial number, unless a replacement is asked for: a second claim for a provisioned serial is a
 * 409, and a replacement asked by a member of {@code device-replacers} provisions a new device and retires the old
 * one's certificate through the IoT API once the new one has registered.
 */
@QuarkusTest
class DeviceReplacementTest {

    /** One installer for the class (4 claims, within the test quota): installers are few. */
    private static final String INSTALLER = ClaimServiceEmulator.installer();

    @InjectIotEmulator
    IotEmulator emulator;

    @Test
    void aReplacementRetiresTheOldDeviceOnceTheNewOneHasRegistered() throws Exception {
        String replacer = Replacers.user(emulator);
        String installer = INSTALLER;
        String serial = Claims.serial();
        String oldCertificate = provision(Claims.issue(installer, serial), serial);

        Claims.request(installer, serial)
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://fleetprov.io/problems/already-provisioned"));

        try (EventListener events = EventListener.subscribe(emulator)) {
            Map<String, Object> bundle = Replacers.requestReplacement(replacer, serial)
                    .statusCode(201)
                    .extract()
                    .jsonPath()
                    .getMap("$");
            String claim = (String) bundle.get("certificateId");
            String newCertificate = provision(bundle, serial);

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(emulator.registry().thingPrincipals(serial))
                        .singleElement()
                        .asString()
                        .endsWith("cert/" + newCertificate);
                assertThat(emulator.registry()
                                .certificates()
                                .find(oldCertificate)
                                .orElseThrow()
                                .status())
                        .isEqualTo(CertificateStatus.INACTIVE);
                assertThat(events.about(claim)).anySatisfy(r -> {
                    assertThat(r.event().get("type").asText())
                            .isEqualTo(io.fleetprov.protocol.event.EventType.DEVICE_REPLACED.wire());
                    assertThat(r.event().get("certificateId").asText()).isEqualTo(newCertificate);
                    assertThat(r.event().get("thingName").asText()).isEqualTo(serial);
                    assertThat(r.event().get("reason").asText()).isEqualTo("replaced-certificate:" + oldCertificate);
                });
            });
            assertThat(emulator.registry()
                            .certificates()
                            .find(newCertificate)
                            .orElseThrow()
                            .status())
                    .isEqualTo(CertificateStatus.ACTIVE);
        }
        // The replacement is now the device of this serial: a plain claim is refused again.
        Claims.request(installer, serial).statusCode(409);
    }

    @Test
    void aSecondClaimIssuedBeforeTheFirstWasUsedCannotProvisionToo() throws Exception {
        String installer = INSTALLER;
        String serial = Claims.serial();
        String first = (String) Claims.issue(installer, serial).get("certificateId");
        String second = (String) Claims.issue(installer, serial).get("certificateId");

        Claims.hook(Claims.hookSecret(), first, serial).statusCode(200).body("allowProvisioning", equalTo(true));
        Claims.hook(Claims.hookSecret(), second, serial).statusCode(200).body("allowProvisioning", equalTo(false));

        Claims.get(installer, first).statusCode(200).body("status", equalTo("USED"));
        Claims.get(installer, second).statusCode(200).body("status", equalTo("DENIED"));
    }

    @Test
    void replaceWithoutTheGroupIs403AndTheDeviceStays() {
        String installer = INSTALLER;
        String serial = Claims.serial();
        String claim = (String) Claims.issue(installer, serial).get("certificateId");
        Claims.hook(Claims.hookSecret(), claim, serial).statusCode(200).body("allowProvisioning", equalTo(true));

        Replacers.requestReplacement(installer, serial)
                .statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("https://fleetprov.io/problems/replace-forbidden"));
        Replacers.requestReplacement(installer, Claims.serial()).statusCode(403);

        Claims.get(installer, claim).statusCode(200).body("status", equalTo("USED"));
    }

    /** Drives a device through the flow with the official SDK; returns its certificate id. */
    private String provision(Map<String, Object> bundle, String serial) throws Exception {
        try (SdkDevice device = SdkDevice.connect(
                (String) bundle.get("iotEndpoint"),
                emulator.caCertificatePem(),
                (String) bundle.get("certificatePem"),
                (String) bundle.get("privateKey"),
                "claim-" + serial)) {
            CreateKeysAndCertificateResponse keys = device.createKeysAndCertificate();
            device.registerThing(
                    ClaimServiceEmulator.TEMPLATE, keys.certificateOwnershipToken, Map.of("SerialNumber", serial));
            return keys.certificateId;
        }
    }
}
