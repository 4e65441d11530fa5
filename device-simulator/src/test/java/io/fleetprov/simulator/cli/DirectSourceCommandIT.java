package io.fleetprov.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetprov.emulator.EmulatorConfig;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.registry.CertificateRecord;
import io.fleetprov.emulator.registry.CertificateStatus;
import io.fleetprov.emulator.registry.Thing;
import io.fleetprov.simulator.EmulatorClaims;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged command line against an emulator running beside it, reached only as a user would: through the
 * {@code endpoints.json} it wrote. Claims come from its control plane over HTTP (CreateProvisioningClaim), the MQTT
 * endpoint from DescribeEndpoint, and cleanup uses ListThings, ListThingPrincipals, DetachThingPrincipal,
 * UpdateCertificate, DeleteCertificate and DeleteThing.
 */
@QuarkusMainTest
class DirectSourceCommandIT {

    private static Path dataDir;
    private static IotEmulator emulator;

    @BeforeAll
    static void startEmulator() throws Exception {
        dataDir = Files.createTempDirectory("sim-cli-emulator");
        emulator = IotEmulator.start(
                EmulatorConfig.builder().forTests().dataDir(dataDir).build());
        EmulatorClaims.installTemplate(emulator);
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    private static LaunchResult run(QuarkusMainLauncher launcher, String runId, int devices, Path out) {
        return launcher.launch(
                "--emulator-dir",
                dataDir.toString(),
                "--template",
                EmulatorClaims.TEMPLATE,
                "--devices",
                Integer.toString(devices),
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

    private static List<String> certificateIdsOf(List<Thing> things) {
        return things.stream()
                .flatMap(t -> emulator.registry().thingPrincipals(t.thingName()).stream())
                .map(arn -> arn.substring(arn.lastIndexOf('/') + 1))
                .collect(Collectors.toList());
    }

    @Test
    void directClaimsProvisionEveryDeviceEndToEnd(QuarkusMainLauncher launcher) throws Exception {
        Path out = Files.createTempDirectory("sim-cli-direct");
        LaunchResult result = run(launcher, "direct", 4, out);

        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        JsonNode summary =
                new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertThat(summary.path("provisioned").asLong()).as(summary.toString()).isEqualTo(4);
        assertThat(summary.path("failed").asLong()).isZero();
        assertThat(summary.path("settings").path("source").asText()).isEqualTo("direct");
        // DescribeEndpoint answered with the emulator's own MQTT endpoint.
        assertThat(summary.path("settings").path("mqttEndpoint").asText()).isEqualTo(emulator.mqttEndpoint());
        List<Thing> things = thingsOf("direct");
        assertThat(things).hasSize(4);
        for (String certificateId : certificateIdsOf(things)) {
            CertificateRecord record = emulator.registry().certificates().get(certificateId);
            assertThat(record.status()).isEqualTo(CertificateStatus.ACTIVE);
        }
    }

    @Test
    void cleanupListsOnADryRunThenDeletesOnlyWhatTheRunCreated(QuarkusMainLauncher launcher) throws Exception {
        assertThat(run(launcher, "keep", 2, Files.createTempDirectory("sim-cli-keep"))
                        .exitCode())
                .isZero();
        assertThat(run(launcher, "gone", 3, Files.createTempDirectory("sim-cli-gone"))
                        .exitCode())
                .isZero();
        List<Thing> gone = thingsOf("gone");
        List<String> goneCertificates = certificateIdsOf(gone);
        List<String> keptCertificates = certificateIdsOf(thingsOf("keep"));
        assertThat(gone).hasSize(3);
        assertThat(goneCertificates).hasSize(3);
        int certificatesBefore = emulator.registry().certificates().list(true).size();

        LaunchResult dry =
                launcher.launch("cleanup", "--emulator-dir", dataDir.toString(), "--run-id", "gone", "--dry-run");
        assertThat(dry.exitCode()).as(dry.getErrorOutput()).isZero();
        assertThat(dry.getOutput().lines().filter(l -> l.startsWith("would delete device-sim-gone-")))
                .hasSize(3);
        assertThat(dry.getOutput()).doesNotContain("device-sim-keep-");
        assertThat(thingsOf("gone")).hasSize(3);
        assertThat(emulator.registry().certificates().list(true)).hasSize(certificatesBefore);

        LaunchResult real = launcher.launch("cleanup", "--emulator-dir", dataDir.toString(), "--run-id", "gone");
        assertThat(real.exitCode()).as(real.getErrorOutput()).isZero();
        assertThat(real.getOutput().lines().filter(l -> l.startsWith("deleted device-sim-gone-")))
                .hasSize(3);
        assertThat(thingsOf("gone")).isEmpty();
        assertThat(goneCertificates)
                .allSatisfy(id -> assertThat(emulator.registry().certificates().find(id))
                        .as(id)
                        .isEmpty());
        assertThat(thingsOf("keep")).hasSize(2);
        assertThat(keptCertificates)
                .allSatisfy(id -> assertThat(
                                emulator.registry().certificates().get(id).status())
                        .isEqualTo(CertificateStatus.ACTIVE));
        assertThat(emulator.registry().certificates().list(true)).hasSize(certificatesBefore - 3);
    }
}
