package io.fleetprov.simulator.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.protocol.memory.ProcessMemory;
import io.fleetprov.simulator.EmulatorClaims;
import io.fleetprov.simulator.FlowRuntime;
import io.fleetprov.simulator.claim.AwsClients;
import io.fleetprov.simulator.claim.EmulatorMemory;
import io.fleetprov.simulator.client.FlowOptions;
import io.fleetprov.simulator.client.MqttTarget;
import io.fleetprov.simulator.client.ProvisioningFlow;
import io.fleetprov.simulator.report.RunData;
import io.fleetprov.testing.junit.IotEmulatorExtension;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Soak against a real in-process emulator: devices stay connected as their things, publish, and are counted. */
class SoakRunnerIT {

    @RegisterExtension
    static IotEmulatorExtension emulatorExtension = new IotEmulatorExtension();

    @RegisterExtension
    static FlowRuntime runtime = new FlowRuntime();

    @BeforeAll
    static void start() {
        EmulatorClaims.installTemplate(emulatorExtension.get());
    }

    @Test
    void keepsDevicesConnectedPublishingAndCountsAServerSideDisconnect() throws Exception {
        IotEmulator emulator = emulatorExtension.get();
        var target = new MqttTarget("localhost", emulator.mqttPort(), emulator.caCertificatePem(), false);
        var flow = new ProvisioningFlow(
                runtime.vertx(),
                target,
                // On a loaded machine a cold JVM's first handshakes took over 4 s (connect-with-claim/Timeout).
                FlowOptions.defaults(EmulatorClaims.TEMPLATE).withTimeout(Duration.ofSeconds(10)),
                runtime.cpu());
        var connected = new ConcurrentLinkedQueue<ProvisioningFlow.Held>();
        var emulatorMemory = new EmulatorMemory(new AwsClients(URI.create(emulator.httpUrl()), "us-east-1", true, 1));
        ProcessMemory simulatorBefore = ProcessMemory.ofThisProcess(0);
        ProcessMemory emulatorBefore = emulatorMemory.measure().orElseThrow();
        RunData run = new LoadRunner(
                        flow,
                        new EmulatorClaims(emulator, EmulatorClaims.TEMPLATE),
                        new LoadPlan("soak", 6, null, 20, Duration.ZERO, 6, Shard.SINGLE, "sim-", FaultPlan.NONE),
                        d -> {},
                        connected::add)
                .run(Map.of(), m -> {});
        assertThat(run.provisioned()).as("failures: %s", run.failuresByCode()).isEqualTo(6);
        assertThat(connected)
                .hasSize(6)
                .allSatisfy(c -> assertThat(c.connection().isConnected()).isTrue());
        assertThat(emulator.broker().connectedClients()).contains("device-sim-soak-000000");

        var soak = new SoakRunner(List.copyOf(connected), "devices/{thingName}/telemetry");
        // The emulator answers over its control plane with the connections it holds; here it shares this JVM.
        ProcessMemory emulatorConnected = emulatorMemory.measure().orElseThrow();
        assertThat(emulatorConnected.connections() - emulatorBefore.connections())
                .isGreaterThanOrEqualTo(6);
        assertThat(emulatorConnected.heapUsedBytes()).isPositive();
        var memory = new SoakMemory(
                simulatorBefore, ProcessMemory.ofThisProcess(soak.connected()), emulatorBefore, emulatorConnected);
        String dropped = connected.peek().thingName();
        // The drop must land after publishing began, when run() counts the connected devices.
        CompletableFuture<Void> drop = CompletableFuture.runAsync(
                () -> emulator.broker().disconnect(dropped), CompletableFuture.delayedExecutor(3, TimeUnit.SECONDS));
        SoakResult result = soak.run(30, Duration.ofSeconds(5), memory);
        drop.join();

        assertThat(result.connectedAtStart()).isEqualTo(6);
        assertThat(result.disconnects()).isEqualTo(1);
        assertThat(result.connectedAtEnd()).isEqualTo(5);
        assertThat(result.published()).isBetween(140L, 150L);
        long failed = result.publishFailuresByCode().values().stream()
                .mapToLong(Long::longValue)
                .sum();
        assertThat(result.acknowledged() + failed).isEqualTo(result.published());
        // The dropped device's later publishes fail; everyone else's are acknowledged.
        assertThat(failed).isPositive().isLessThanOrEqualTo(result.published() / 6 + 1);
        assertThat(result.publishLatency().getTotalCount()).isEqualTo(result.acknowledged());
        assertThat(result.toMap()).containsKeys("memory", "publishLatency", "disconnects");
        assertThat(memory.toMap()).containsKeys("simulator", "emulator");
        assertThat(memory.lines()).contains("memory: simulator, 6 connected devices", "memory: emulator, ");

        soak.disconnectAll();
        assertThat(connected)
                .allSatisfy(c -> assertThat(c.connection().isConnected()).isFalse());
    }
}
