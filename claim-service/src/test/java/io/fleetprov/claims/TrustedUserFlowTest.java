package io.fleetprov.claims;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.protocol.event.EventType;
import io.fleetprov.protocol.event.Outcome;
import io.fleetprov.testing.SdkDevice;
import io.fleetprov.testing.quarkus.InjectIotEmulator;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.iot.iotidentity.model.CreateKeysAndCertificateResponse;
import software.amazon.awssdk.iot.iotidentity.model.RegisterThingResponse;

/**
 * The whole trusted-user flow: an installer signs in to the user pool, asks this service for a claim, and a
 * device running the official AWS IoT Device SDK provisions with it while the emulator's template hook asks this
 * service whether to allow it.
 */
@QuarkusTest
class TrustedUserFlowTest {

    @InjectIotEmulator
    IotEmulator emulator;

    @Test
    void deviceProvisionsWithTheClaimItWasIssuedFor() throws Exception {
        try (EventListener events = EventListener.subscribe(emulator)) {
            String installer = ClaimServiceEmulator.installer();
            String serial = Claims.serial();
            Map<String, Object> bundle = Claims.issue(installer, serial);
            String claimId = (String) bundle.get("certificateId");
            assertThat((String) bundle.get("iotEndpoint")).isEqualTo(emulator.mqttEndpoint());
            ProducedContracts.assertClaimResponseMatchesContract(bundle);

            String deviceCertificateId;
            try (SdkDevice device = SdkDevice.connect(
                    (String) bundle.get("iotEndpoint"),
                    emulator.caCertificatePem(),
                    (String) bundle.get("certificatePem"),
                    (String) bundle.get("privateKey"),
                    "claim-" + serial)) {
                CreateKeysAndCertificateResponse keys = device.createKeysAndCertificate();
                RegisterThingResponse registered = device.registerThing(
                        ClaimServiceEmulator.TEMPLATE, keys.certificateOwnershipToken, Map.of("SerialNumber", serial));
                assertThat(registered.thingName).isEqualTo(serial);
                deviceCertificateId = keys.certificateId;
            }

            assertThat(emulator.registry().things().find(serial)).isPresent();
            Claims.get(installer, claimId)
                    .statusCode(200)
                    .body("status", equalTo("USED"))
                    .body("thingName", equalTo(serial))
                    .body("deviceCertificateId", equalTo(deviceCertificateId));

            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(events.about(claimId))
                            .extracting(r -> r.event().get("type").asText())
                            .contains(EventType.CLAIM_ISSUED.wire(), EventType.HOOK_DECISION.wire()));
            events.about(claimId).forEach(ProducedContracts::assertSignedAsContract);
            assertThat(events.refused).isEmpty();
            var decision = events.about(claimId).stream()
                    .filter(r -> r.event().get("type").asText().equals(EventType.HOOK_DECISION.wire()))
                    .findFirst()
                    .orElseThrow()
                    .event();
            assertThat(decision.get("outcome").asText()).isEqualTo(Outcome.ALLOW.wire());
            assertThat(decision.get("installer").asText()).isNotBlank();
            assertThat(decision.get("certificateId").asText()).isEqualTo(deviceCertificateId);
            assertThat(decision.get("thingName").asText()).isEqualTo(serial);
        }
    }

    @Test
    void deviceWithAnotherSerialIsRejected() throws Exception {
        String installer = ClaimServiceEmulator.installer();
        String serial = Claims.serial();
        Map<String, Object> bundle = Claims.issue(installer, serial);
        String impostor = Claims.serial();

        try (SdkDevice device = SdkDevice.connect(
                (String) bundle.get("iotEndpoint"),
                emulator.caCertificatePem(),
                (String) bundle.get("certificatePem"),
                (String) bundle.get("privateKey"),
                "claim-" + impostor)) {
            CreateKeysAndCertificateResponse keys = device.createKeysAndCertificate();
            assertThatThrownBy(() -> device.registerThing(
                            ClaimServiceEmulator.TEMPLATE,
                            keys.certificateOwnershipToken,
                            Map.of("SerialNumber", impostor)))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(SdkDevice.Rejected.class)
                    .satisfies(e -> assertThat(((SdkDevice.Rejected) e).error.statusCode)
                            .isEqualTo(403));
        }
        assertThat(emulator.registry().things().find(impostor)).isEmpty();
        Claims.get(installer, (String) bundle.get("certificateId")).body("status", equalTo("DENIED"));
    }
}
