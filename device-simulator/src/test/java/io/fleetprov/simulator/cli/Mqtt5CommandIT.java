package io.fleetprov.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetprov.emulator.EmulatorConfig;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.registry.CertificateStatus;
import io.fleetprov.emulator.registry.Thing;
import io.fleetprov.simulator.EmulatorClaims;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code --mqtt-version 5}: the packaged command line provisions devices over MQTT 5 (Paho) against the emulator's
 * broker, which serves both protocol versions on one port, in both certificate modes and both payload formats.
 */
@QuarkusMainTest
class Mqtt5CommandIT {

    private static Path dataDir;
    private static IotEmulator emulator;

    @BeforeAll
    static void startEmulator() throws Exception {
        dataDir = Files.createTempDirectory("sim-mqtt5-emulator");
        emulator = IotEmulator.start(
                EmulatorConfig.builder().forTests().dataDir(dataDir).build());
        EmulatorClaims.installTemplate(emulator);
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    private static LaunchResult run(QuarkusMainLauncher launcher, String runId, String mode, String format, Path out) {
        return launcher.launch(
                "run",
                "--emulator-dir",
                dataDir.toString(),
                "--template",
                EmulatorClaims.TEMPLATE,
                "--mqtt-version",
                "5",
                "--mode",
                mode,
                "--format",
                format,
                "--devices",
                "5",
                "--rate",
                "20",
                "--run-id",
                runId,
                "--plain",
                "--timeout",
                "15s",
                "--out",
                out.toString(),
                "--slo",
                "errors<=0");
    }

    private static List<Thing> thingsOf(String runId) {
        return emulator.registry().things().list(null, null, null, false).stream()
                .filter(t -> t.thingName().startsWith("device-sim-" + runId + "-"))
                .toList();
    }

    private static void assertAllProvisioned(LaunchResult result, Path out, String runId) throws Exception {
        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        assertThat(result.getErrorOutput()).contains("MQTT 5");
        JsonNode summary =
                new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertThat(summary.path("provisioned").asLong()).as(summary.toString()).isEqualTo(5);
        assertThat(summary.path("failed").asLong()).isZero();
        assertThat(summary.path("settings").path("mqttVersion").asText()).isEqualTo("5");
        // Paho takes a JDK socket factory, so an MQTT 5 run reports JDK TLS whatever --tls auto found.
        assertThat(summary.path("settings").path("tls").asText()).isEqualTo("JDK");
        List<Thing> things = thingsOf(runId);
        assertThat(things).hasSize(5);
        List<String> certificateIds = things.stream()
                .flatMap(t -> emulator.registry().thingPrincipals(t.thingName()).stream())
                .map(arn -> arn.substring(arn.lastIndexOf('/') + 1))
                .toList();
        assertThat(certificateIds).hasSize(5);
        assertThat(certificateIds)
                .allSatisfy(id -> assertThat(
                                emulator.registry().certificates().get(id).status())
                        .isEqualTo(CertificateStatus.ACTIVE));
    }

    @Test
    void csrModeWithJsonProvisionsEveryDevice(QuarkusMainLauncher launcher) throws Exception {
        Path out = Files.createTempDirectory("sim-mqtt5-csr");
        assertAllProvisioned(run(launcher, "m5csr", "CSR", "JSON", out), out, "m5csr");
    }

    @Test
    void keysModeWithCborProvisionsEveryDevice(QuarkusMainLauncher launcher) throws Exception {
        Path out = Files.createTempDirectory("sim-mqtt5-keys");
        assertAllProvisioned(run(launcher, "m5keys", "KEYS", "CBOR", out), out, "m5keys");
    }
}
