package io.fleetprov.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetprov.emulator.EmulatorConfig;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.ca.Pem;
import io.fleetprov.emulator.cli.EmulatorCommand;
import io.fleetprov.testing.SdkDevice;
import io.fleetprov.testing.TestTemplates;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code fleetprov emulator claim}, in-process, against a running emulator found through endpoints.json. */
class ControlPlaneClaimCommandIT {

    private static final String DEVICE_TEMPLATE = TestTemplates.deviceTemplate("device-");

    @TempDir
    Path dir;

    @Test
    void writesAClaimThatProvisionsADevice() throws Exception {
        Path data = dir.resolve("emulator");
        Path out = dir.resolve("claim");
        try (IotEmulator emulator = IotEmulator.start(
                EmulatorConfig.builder().forTests().dataDir(data).build())) {
            emulator.registry()
                    .templates()
                    .create("cli-claim", null, DEVICE_TEMPLATE, true, TestTemplates.ROLE, null, null);

            int exit = run("--data-dir", data.toString(), "claim", "--template", "cli-claim", "--out", out.toString());

            assertThat(exit).isZero();
            String certificatePem = Files.readString(out.resolve("claim.pem.crt"));
            String privateKey = Files.readString(out.resolve("claim.private.key"));
            assertThat(Files.getPosixFilePermissions(out.resolve("claim.private.key")))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.readString(out.resolve("claim.public.key"))).startsWith("-----BEGIN PUBLIC KEY-----");
            assertThat(Files.readString(out.resolve("ca.pem"))).isEqualTo(emulator.caCertificatePem());
            String certificateId = io.fleetprov.emulator.ca.CertificateIds.of(Pem.parseCertificate(certificatePem));
            assertThat(emulator.registry().certificates().get(certificateId).claimTemplate())
                    .isEqualTo("cli-claim");

            try (SdkDevice device = SdkDevice.connect(emulator, certificatePem, privateKey, "claim-CLI-1")) {
                var keys = device.createKeysAndCertificate();
                var registered = device.registerThing(
                        "cli-claim", keys.certificateOwnershipToken, Map.of("SerialNumber", "CLI-1"));
                assertThat(registered.thingName).isEqualTo("device-CLI-1");
            }
        }
    }

    @Test
    void anUnknownTemplateFailsWithTheAwsError() throws Exception {
        Path data = dir.resolve("emulator");
        try (IotEmulator emulator = IotEmulator.start(
                EmulatorConfig.builder().forTests().dataDir(data).build())) {
            PrintStream originalErr = System.err;
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit;
            try {
                System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
                exit = run(
                        "--data-dir",
                        data.toString(),
                        "claim",
                        "--template",
                        "missing",
                        "--out",
                        dir.resolve("none").toString());
            } finally {
                System.setErr(originalErr);
            }
            assertThat(exit).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("ResourceNotFoundException");
            assertThat(dir.resolve("none")).doesNotExist();
        }
    }

    @Test
    void writesAServiceIdentityThatMayListenToEvents() throws Exception {
        Path data = dir.resolve("emulator");
        Path out = dir.resolve("identity");
        try (IotEmulator emulator = IotEmulator.start(
                EmulatorConfig.builder().forTests().dataDir(data).build())) {
            // As the README writes it: --data-dir after the subcommand.
            int exit =
                    run("identity", "--data-dir", data.toString(), "--name", "audit-service", "--out", out.toString());

            assertThat(exit).isZero();
            assertThat(Files.getPosixFilePermissions(out.resolve("audit-service.private.key")))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            try (var service = Devices.connect(
                    emulator,
                    Files.readString(out.resolve("audit-service.pem.crt")),
                    Files.readString(out.resolve("audit-service.private.key")),
                    "audit-service")) {
                service.client.subscribe("$aws/events/#", 1);
                assertThat(service.isConnected()).isTrue();
            }
        }
    }

    private static int run(String... args) {
        return new CommandLine(new EmulatorCommand()).execute(args);
    }
}
