package io.fleetprov.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged simulator under a lowered {@code ulimit -n}: a soak that cannot hold its devices stops before
 * connecting anywhere, with one clear message and the usage exit code, instead of failing device after device with
 * "Too many open files".
 */
class OpenFileLimitIT {

    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

    @Test
    void aSoakLargerThanTheOpenFileLimitStopsBeforeItStarts(@TempDir Path dir) throws Exception {
        Process simulator = underFileLimit(
                1024,
                "soak --emulator-dir " + dir.resolve("no-emulator-here") + " --template t --devices 2000 "
                        + "--soak-duration 1m --out " + dir.resolve("out"),
                dir);
        String stderr = Files.readString(dir.resolve("stderr"), StandardCharsets.UTF_8);
        assertThat(simulator.exitValue()).as(stderr).isEqualTo(2);
        assertThat(stderr)
                .contains("this soak holds up to 2000 connections", "1024 files (ulimit -n)", "512 connections fit")
                .contains("4 shards")
                .doesNotContain("Exception");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void aRunHoldsOnlyItsDevicesInFlight(@TempDir Path dir) throws Exception {
        // An emulator directory whose endpoints.json names no control plane: read at once (a missing one would be
        // waited for), and refused after the open-file check.
        Path emulator = Files.createDirectories(dir.resolve("stale-emulator"));
        Files.writeString(emulator.resolve("endpoints.json"), "{}");
        Process simulator = underFileLimit(
                1024, "run --emulator-dir " + emulator + " --template t --devices 2000 --concurrency 100", dir);
        String stderr = Files.readString(dir.resolve("stderr"), StandardCharsets.UTF_8);
        // It gets past the check and fails later, on the emulator directory.
        assertThat(stderr).doesNotContain("ulimit -n");
        assertThat(simulator.exitValue()).as(stderr).isNotZero();
    }

    private static Process underFileLimit(int files, String args, Path dir) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(
                        "bash", "-c", "ulimit -n " + files + " && exec " + java + " -jar " + JAR + " " + args)
                .redirectOutput(dir.resolve("stdout").toFile())
                .redirectError(dir.resolve("stderr").toFile())
                .start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("simulator exited").isTrue();
        return process;
    }
}
