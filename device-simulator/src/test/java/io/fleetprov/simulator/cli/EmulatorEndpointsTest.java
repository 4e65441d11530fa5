package io.fleetprov.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * {@code --emulator-dir} names an emulator that may have been started in the background a moment before (the
 * README's soak): its endpoints.json is waited for, and a run without one stops with what to do, not a stack trace.
 */
class EmulatorEndpointsTest {

    @TempDir
    Path dir;

    private TargetOptions target(Duration wait) {
        CommandLine cli = new CommandLine(new SimulateCommand());
        RunCommand run =
                (RunCommand) cli.parseArgs("run", "--emulator-dir", dir.toString(), "--template", "t", "--devices", "5")
                        .subcommand()
                        .commandSpec()
                        .userObject();
        run.options.target.emulatorStartWait = wait;
        return run.options.target;
    }

    @Test
    void endpointsWrittenAfterTheRunStartedAreWaitedFor() {
        TargetOptions target = target(Duration.ofSeconds(30));
        CompletableFuture.runAsync(
                () -> {
                    try {
                        Files.writeString(dir.resolve("endpoints.json"), "{\"httpUrl\":\"http://localhost:1\"}");
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                CompletableFuture.delayedExecutor(500, TimeUnit.MILLISECONDS));
        JsonNode endpoints = target.emulatorEndpoints();
        assertThat(endpoints.path("httpUrl").asText()).isEqualTo("http://localhost:1");
    }

    @Test
    void noEmulatorIsAUsageErrorThatSaysHowToStartOne() {
        TargetOptions target = target(Duration.ofMillis(300));
        assertThatThrownBy(target::emulatorEndpoints)
                .isInstanceOf(ParameterException.class)
                .hasMessageContaining("No running emulator found")
                .hasMessageContaining("./fleetprov emulator --data-dir " + dir)
                .satisfies(e -> assertThat(((ParameterException) e).getCommandLine())
                        .as("the run's command line, so picocli prints the message and the usage")
                        .isNotNull());
    }
}
