package io.fleetprov.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetprov.emulator.EmulatorConfig;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.cli.EmulatorCommand;
import io.fleetprov.testing.TestTemplates;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code fleetprov emulator identity} and {@code claim} against a strict emulator ({@code --access-key}), as the
 * chart's identities Job runs them: signed with the credentials of AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.
 */
class StrictSigV4CommandsIT {

    private static final String KEY = "AKIDCHARTJOB";
    private static final String SECRET = "chart-generated-secret";

    @TempDir
    Path dir;

    @Test
    void signedWithTheEnvironmentsKeyTheCommandsPass() throws Exception {
        Path data = dir.resolve("emulator");
        try (IotEmulator emulator = strictEmulator(data)) {
            emulator.registry()
                    .templates()
                    .create(
                            "strict-claim",
                            null,
                            TestTemplates.deviceTemplate("d-"),
                            true,
                            TestTemplates.ROLE,
                            null,
                            null);
            Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", KEY, "AWS_SECRET_ACCESS_KEY", SECRET);

            Result identity = run(
                    env,
                    "--data-dir",
                    data.toString(),
                    "identity",
                    "--name",
                    "claim-service",
                    "--out",
                    dir.resolve("identity").toString());
            Result claim = run(
                    env,
                    "--data-dir",
                    data.toString(),
                    "claim",
                    "--template",
                    "strict-claim",
                    "--out",
                    dir.resolve("claim").toString());

            assertThat(identity.exit).as(identity.err).isZero();
            assertThat(claim.exit).as(claim.err).isZero();
            assertConnects(emulator, dir.resolve("identity"));
        }
    }

    @Test
    void unsignedOrWronglySignedCallsAreRefusedAndTheMintedIdentityKeepsWorking() throws Exception {
        Path data = dir.resolve("emulator");
        try (IotEmulator emulator = strictEmulator(data)) {
            Result minted = run(
                    Map.of("AWS_ACCESS_KEY_ID", KEY, "AWS_SECRET_ACCESS_KEY", SECRET),
                    "--data-dir",
                    data.toString(),
                    "identity",
                    "--name",
                    "audit-service",
                    "--out",
                    dir.resolve("good").toString());
            assertThat(minted.exit).as(minted.err).isZero();

            Result unsigned = run(
                    Map.of(),
                    "--data-dir",
                    data.toString(),
                    "identity",
                    "--name",
                    "audit-service",
                    "--out",
                    dir.resolve("unsigned").toString());
            Result wrongSecret = run(
                    Map.of("AWS_ACCESS_KEY_ID", KEY, "AWS_SECRET_ACCESS_KEY", "not-the-secret"),
                    "--data-dir",
                    data.toString(),
                    "identity",
                    "--name",
                    "audit-service",
                    "--out",
                    dir.resolve("wrong").toString());

            assertThat(unsigned.exit).isEqualTo(1);
            assertThat(unsigned.err).contains("MissingAuthenticationTokenException");
            assertThat(wrongSecret.exit).isEqualTo(1);
            assertThat(wrongSecret.err).contains("InvalidSignatureException").doesNotContain("not-the-secret");
            assertThat(dir.resolve("unsigned")).doesNotExist();
            assertThat(dir.resolve("wrong")).doesNotExist();
            // The identity minted before the refused calls is untouched.
            assertConnects(emulator, dir.resolve("good"));
        }
    }

    private static IotEmulator strictEmulator(Path data) {
        return IotEmulator.start(EmulatorConfig.builder()
                .forTests()
                .dataDir(data)
                .accessKey(KEY, SECRET)
                .build());
    }

    private static void assertConnects(IotEmulator emulator, Path out) throws Exception {
        String name;
        try (var files = Files.list(out)) {
            name = files.map(p -> p.getFileName().toString())
                    .filter(f -> f.endsWith(".pem.crt"))
                    .findFirst()
                    .orElseThrow()
                    .replace(".pem.crt", "");
        }
        try (var service = Devices.connect(
                emulator,
                Files.readString(out.resolve(name + ".pem.crt")),
                Files.readString(out.resolve(name + ".private.key")),
                name)) {
            service.client.subscribe("$aws/events/#", 1);
            assertThat(service.isConnected()).isTrue();
        }
    }

    private record Result(int exit, String err) {}

    private static Result run(Map<String, String> env, String... args) {
        PrintStream originalErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = new CommandLine(new EmulatorCommand(env)).execute(args);
            return new Result(exit, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(originalErr);
        }
    }
}
