package io.fleetprov.simulator.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.registry.CertificateStatus;
import io.fleetprov.simulator.EmulatorClaims;
import io.fleetprov.simulator.FlowRuntime;
import io.fleetprov.testing.junit.IotEmulatorExtension;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The MQTT 5 transport's error classification against the emulator: refusals arrive as MQTT 5 reason codes (or a
 * server DISCONNECT) and must count as the same refusals an MQTT 3.1.1 run reports, never as timeouts; and what was
 * provisioned before a refused device stays provisioned.
 */
class Mqtt5FlowIT {

    @RegisterExtension
    static IotEmulatorExtension emulatorExtension = new IotEmulatorExtension();

    @RegisterExtension
    static FlowRuntime runtime = new FlowRuntime();

    private static ProvisioningFlow flow;
    private static EmulatorClaims claims;
    private static ProvisionedDevice honest;

    @BeforeAll
    static void start() throws Exception {
        IotEmulator emulator = emulatorExtension.get();
        EmulatorClaims.installTemplate(emulator);
        claims = new EmulatorClaims(emulator, EmulatorClaims.TEMPLATE);
        flow = flow(FlowOptions.defaults(EmulatorClaims.TEMPLATE));
        honest = flow.provision("m5-honest", claims, System.nanoTime(), FlowListener.NONE)
                .get(30, TimeUnit.SECONDS);
    }

    private static ProvisioningFlow flow(FlowOptions options) {
        IotEmulator emulator = emulatorExtension.get();
        return new ProvisioningFlow(
                runtime.vertx(),
                new MqttTarget("localhost", emulator.mqttPort(), emulator.caCertificatePem(), false),
                options.withTimeout(Duration.ofSeconds(10)).withMqttVersion(MqttVersion.MQTT_5),
                runtime.cpu());
    }

    @ParameterizedTest
    @EnumSource(
            value = FaultMode.class,
            names = {"DISCONNECT_AFTER_CREATE", "REUSE_TOKEN", "MALFORMED_PAYLOAD"})
    void faultsAreRefusedAsOverMqtt311AndNothingAcceptedIsLost(FaultMode fault) throws Exception {
        String serial =
                "m5-" + fault.label() + "-" + UUID.randomUUID().toString().substring(0, 6);

        FaultResult result = flow.runFault(serial, claims, fault).get(30, TimeUnit.SECONDS);

        assertThat(result.asExpected()).as("observed %s", result.observed()).isTrue();
        if (fault == FaultMode.DISCONNECT_AFTER_CREATE) {
            // An unregistered certificate: refused by TLS or by CONNACK, both classes MQTT 3.1.1 runs report.
            assertThat(result.observed()).matches("Connack.*|" + DeviceException.TLS_HANDSHAKE);
        }
        var certificate = emulatorExtension
                .get()
                .registry()
                .certificates()
                .get(honest.credentials().certificateId());
        assertThat(certificate.status()).isEqualTo(CertificateStatus.ACTIVE);
        assertThat(emulatorExtension.get().registry().thingPrincipals(honest.thingName()))
                .containsExactly(certificate.certificateArn());
    }

    @Test
    void aPublishOutsideThePolicyIsARefusalOrALostConnectionNotATimeout() {
        FlowOptions base = FlowOptions.defaults(EmulatorClaims.TEMPLATE);
        ProvisioningFlow forbidden = flow(new FlowOptions(
                base.templateName(),
                base.mode(),
                base.format(),
                base.keyType(),
                base.parameters(),
                "devices/someone-else/telemetry",
                base.timeout(),
                base.backoff(),
                MqttVersion.MQTT_5));

        assertThatThrownBy(() -> forbidden
                        .provision(
                                "m5-forbidden-" + UUID.randomUUID().toString().substring(0, 6),
                                claims,
                                System.nanoTime(),
                                FlowListener.NONE)
                        .join())
                .hasCauseInstanceOf(FlowException.class)
                .satisfies(e -> {
                    FlowException flowFailure = (FlowException) e.getCause();
                    assertThat(flowFailure.phase()).isEqualTo(Phase.FIRST_PUBLISH);
                    assertThat(flowFailure.failure().errorCode())
                            .as(flowFailure.getMessage())
                            .isIn(DeviceException.PUBLISH_REFUSED, DeviceException.CONNECTION_LOST);
                });
    }
}
