package io.fleetprov.simulator.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.registry.CertificateStatus;
import io.fleetprov.protocol.PayloadFormat;
import io.fleetprov.simulator.EmulatorClaims;
import io.fleetprov.simulator.FlowRuntime;
import io.fleetprov.testing.junit.IotEmulatorExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The whole device flow against a real in-process emulator (mTLS broker, CA, templates, policies). */
class ProvisioningFlowIT {

    @RegisterExtension
    static IotEmulatorExtension emulatorExtension = new IotEmulatorExtension();

    @RegisterExtension
    static FlowRuntime runtime = new FlowRuntime();

    @BeforeAll
    static void start() {
        EmulatorClaims.installTemplate(emulatorExtension.get());
    }

    @ParameterizedTest(name = "{0} mode, {1}, OpenSSL {2}")
    @CsvSource({"KEYS, JSON, false", "KEYS, CBOR, true", "CSR, JSON, true", "CSR, CBOR, false"})
    void provisionsAndPublishesAsItsThing(ProvisioningMode mode, PayloadFormat format, boolean openSsl)
            throws Exception {
        IotEmulator emulator = emulatorExtension.get();
        FlowOptions options = FlowOptions.defaults(EmulatorClaims.TEMPLATE)
                .withMode(mode)
                .withFormat(format)
                .withTimeout(Duration.ofSeconds(10));
        var target = new MqttTarget("localhost", emulator.mqttPort(), emulator.caCertificatePem(), openSsl);
        var flow = new ProvisioningFlow(runtime.vertx(), target, options, runtime.cpu());
        String serial = mode + "-" + format + "-" + UUID.randomUUID().toString().substring(0, 8);
        Map<Phase, Long> phases = new ConcurrentHashMap<>();

        ProvisionedDevice device = flow.provision(
                        serial,
                        new EmulatorClaims(emulator, EmulatorClaims.TEMPLATE),
                        System.nanoTime(),
                        new FlowListener() {
                            @Override
                            public void phaseCompleted(Phase phase, long startNanos, long endNanos) {
                                phases.put(phase, endNanos - startNanos);
                            }
                        })
                .get(30, TimeUnit.SECONDS);

        assertThat(device.thingName()).isEqualTo("device-" + serial);
        assertThat(device.deviceConfiguration()).containsEntry("Greeting", "hello");
        assertThat(phases).containsOnlyKeys(Phase.values());
        assertThat(phases.get(Phase.TOTAL)).isGreaterThanOrEqualTo(phases.get(Phase.FIRST_PUBLISH));
        var certificate =
                emulator.registry().certificates().get(device.credentials().certificateId());
        assertThat(certificate.status()).isEqualTo(CertificateStatus.ACTIVE);
        assertThat(emulator.registry().thingPrincipals(device.thingName()))
                .containsExactly(certificate.certificateArn());
    }

    /**
     * Devices provisioned at once through one target share its OpenSSL context; each connection must still present
     * its own key: the claim's for provisioning, the device's for the first publish, which the broker allows only to
     * the thing whose principal that certificate is.
     */
    @Test
    void devicesSharingOneOpenSslContextEachConnectAsThemselves() throws Exception {
        IotEmulator emulator = emulatorExtension.get();
        FlowOptions options = FlowOptions.defaults(EmulatorClaims.TEMPLATE)
                .withMode(ProvisioningMode.CSR)
                .withTimeout(Duration.ofSeconds(20));
        var target = new MqttTarget("localhost", emulator.mqttPort(), emulator.caCertificatePem(), true);
        var flow = new ProvisioningFlow(runtime.vertx(), target, options, runtime.cpu());
        String run = UUID.randomUUID().toString().substring(0, 6);

        List<CompletableFuture<ProvisionedDevice>> devices = IntStream.range(0, 6)
                .mapToObj(i -> flow.provision(
                        "shared-" + run + "-" + i,
                        new EmulatorClaims(emulator, EmulatorClaims.TEMPLATE),
                        System.nanoTime(),
                        FlowListener.NONE))
                .toList();

        for (CompletableFuture<ProvisionedDevice> future : devices) {
            ProvisionedDevice device = future.get(60, TimeUnit.SECONDS);
            var certificate =
                    emulator.registry().certificates().get(device.credentials().certificateId());
            assertThat(emulator.registry().thingPrincipals(device.thingName()))
                    .containsExactly(certificate.certificateArn());
        }
        assertThat(devices.stream().map(CompletableFuture::join).map(ProvisionedDevice::thingName))
                .doesNotHaveDuplicates()
                .hasSize(6);
    }

    @ParameterizedTest(name = "publish outside the policy as {0}")
    @CsvSource({"CSR"})
    void publishOutsideThePolicyFailsTheFirstPublishPhase(ProvisioningMode mode) {
        IotEmulator emulator = emulatorExtension.get();
        FlowOptions base =
                FlowOptions.defaults(EmulatorClaims.TEMPLATE).withMode(mode).withTimeout(Duration.ofSeconds(10));
        FlowOptions options = new FlowOptions(
                base.templateName(),
                base.mode(),
                base.format(),
                base.keyType(),
                base.parameters(),
                "devices/someone-else/telemetry",
                base.timeout(),
                base.backoff());
        var target = new MqttTarget("localhost", emulator.mqttPort(), emulator.caCertificatePem(), false);
        var flow = new ProvisioningFlow(runtime.vertx(), target, options, runtime.cpu());

        assertThatThrownBy(() -> flow.provision(
                                "forbidden-" + UUID.randomUUID().toString().substring(0, 6),
                                new EmulatorClaims(emulator, EmulatorClaims.TEMPLATE),
                                System.nanoTime(),
                                FlowListener.NONE)
                        .join())
                .hasCauseInstanceOf(FlowException.class)
                .satisfies(
                        e -> assertThat(((FlowException) e.getCause()).phase()).isEqualTo(Phase.FIRST_PUBLISH));
        assertThat(List.of(Phase.values())).isNotEmpty();
    }
}
