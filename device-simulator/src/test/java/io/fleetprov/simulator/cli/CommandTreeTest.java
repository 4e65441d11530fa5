package io.fleetprov.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetprov.simulator.client.MqttVersion;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The command tree as picocli sees it, parsed only (nothing runs): the subcommands, and the spellings from before
 * them that the local stack, the Helm chart and scripts still pass.
 */
class CommandTreeTest {

    private static ParseResult parse(String... args) {
        return new CommandLine(new SimulateCommand()).parseArgs(args);
    }

    private static Object leaf(ParseResult result) {
        ParseResult last = result;
        while (last.hasSubcommand()) {
            last = last.subcommand();
        }
        return last.commandSpec().userObject();
    }

    @Test
    void simulateHasOneSubcommandPerJob() {
        assertThat(new CommandLine(new SimulateCommand()).getSubcommands().keySet())
                .containsExactly("run", "soak", "ceiling", "machine-limit", "merge", "cleanup");
    }

    @Test
    void bareSimulateIsARunWithTheSameOptions() {
        SimulateCommand bare = (SimulateCommand)
                leaf(parse("--emulator-dir", "/tmp/e", "--template", "t", "--devices", "5", "--machine-limit"));
        RunCommand run = (RunCommand)
                leaf(parse("run", "--emulator-dir", "/tmp/e", "--template", "t", "--devices", "5", "--machine-limit"));
        for (RunOptions options : List.of(bare.options, run.options)) {
            assertThat(options.template).isEqualTo("t");
            assertThat(options.devices).isEqualTo(5);
            assertThat(options.machineLimit).isTrue();
            assertThat(options.target.isEmulator()).isTrue();
        }
        assertThat(bare.legacy.soak).isNull();
        assertThat(bare.legacy.findCeiling).isFalse();
    }

    @Test
    void theOldModeFlagsStillSelectSoakAndCeiling() {
        SimulateCommand soak = (SimulateCommand)
                leaf(parse("--template", "t", "--devices", "5", "--soak", "2m", "--soak-rate", "500"));
        assertThat(soak.legacy.soakOptions().duration).isEqualTo(Duration.ofMinutes(2));
        assertThat(soak.legacy.soakOptions().rate).isEqualTo(500);

        SimulateCommand ceiling =
                (SimulateCommand) leaf(parse("--template", "t", "--find-ceiling", "--ceiling-step", "20s"));
        assertThat(ceiling.legacy.findCeiling).isTrue();
        CeilingOptions steps = ceiling.legacy.ceilingOptions();
        assertThat(steps.step).isEqualTo(Duration.ofSeconds(20));
        // Defaults the same as the ceiling command's own.
        CeilingCommand modern = (CeilingCommand) leaf(parse("ceiling", "--template", "t"));
        assertThat(steps.factor).isEqualTo(modern.ceiling.factor);
        assertThat(steps.maxRate).isEqualTo(modern.ceiling.maxRate);
        assertThat(steps.refineSteps).isEqualTo(modern.ceiling.refineSteps).isEqualTo(2);
        SoakCommand modernSoak = (SoakCommand) leaf(parse("soak", "--template", "t", "--soak-duration", "1m"));
        assertThat(ceiling.legacy.soakRate).isEqualTo(modernSoak.soak.rate);
    }

    @Test
    void aCeilingSearchWarmsUpOnlyWhenAsked() {
        assertThat(((CeilingCommand) leaf(parse("ceiling", "--template", "t"))).ceiling.warmupDevices)
                .isZero();
        assertThat(((CeilingCommand) leaf(parse("ceiling", "--template", "t", "--ceiling-warmup", "300")))
                        .ceiling
                        .warmupDevices)
                .isEqualTo(300);
    }

    @Test
    void subcommandsTakeTheirOwnOptionsAndRefuseOthers() {
        SoakCommand soak = (SoakCommand) leaf(parse(
                "soak", "--template", "t", "--devices", "5", "--soak-duration", "90s", "--soak-rate", "20", "--plain"));
        assertThat(soak.soak.duration).isEqualTo(Duration.ofSeconds(90));
        assertThat(soak.options.plain).isTrue();

        assertThatThrownBy(() -> parse("soak", "--template", "t", "--devices", "5"))
                .isInstanceOf(CommandLine.MissingParameterException.class)
                .hasMessageContaining("--soak-duration");
        assertThatThrownBy(() -> parse("merge", "/tmp/a", "--out", "/tmp/m", "--devices", "5"))
                .isInstanceOf(CommandLine.UnmatchedArgumentException.class);
        assertThatThrownBy(() -> parse("run", "--find-ceiling"))
                .isInstanceOf(CommandLine.UnmatchedArgumentException.class);

        MachineLimitCommand limit = (MachineLimitCommand) leaf(parse("machine-limit", "--key-type", "RSA_2048"));
        assertThat(limit.keyType.name()).isEqualTo("RSA_2048");
        CleanupCommand cleanup = (CleanupCommand) leaf(parse("cleanup", "--run-id", "r1", "--dry-run"));
        assertThat(cleanup.dryRun).isTrue();
    }

    @Test
    void trustedUserOptionsAreAGroupInEveryRunningCommand() {
        String[] trustedUser = {
            "--template", "t",
            "--source", "trusted-user",
            "--claim-service-url", "http://localhost:8080",
            "--user-pool-client-id", "c",
            "--username", "alice",
            "--soak-duration", "1m"
        };
        RunOptions run = ((RunCommand) leaf(parse(with("run", trustedUser, 10)))).options;
        RunOptions soak = ((SoakCommand) leaf(parse(with("soak", trustedUser, 12)))).options;
        RunOptions ceiling = ((CeilingCommand) leaf(parse(with("ceiling", trustedUser, 10)))).options;
        for (RunOptions options : List.of(run, soak, ceiling)) {
            assertThat(options.source).isEqualTo("trusted-user");
            assertThat(options.trustedUser.username).isEqualTo("alice");
            assertThat(options.trustedUser.bearer).isEqualTo("id");
        }
        assertThatThrownBy(() -> parse("run", "--template", "t", "--username", "alice"))
                .isInstanceOf(CommandLine.MissingParameterException.class);
    }

    @Test
    void mqttVersionIsThreeByDefaultAndFiveWhenAskedInEveryRunningCommand() {
        assertThat(((RunCommand) leaf(parse("run", "--template", "t", "--devices", "5")))
                        .options
                        .flowOptions()
                        .mqttVersion())
                .isEqualTo(MqttVersion.MQTT_3_1_1);
        RunOptions bare =
                ((SimulateCommand) leaf(parse("--template", "t", "--devices", "5", "--mqtt-version", "5"))).options;
        RunOptions run =
                ((RunCommand) leaf(parse("run", "--template", "t", "--devices", "5", "--mqtt-version", "5"))).options;
        RunOptions soak = ((SoakCommand) leaf(parse(
                        "soak", "--template", "t", "--devices", "5", "--soak-duration", "1m", "--mqtt-version", "5")))
                .options;
        RunOptions ceiling =
                ((CeilingCommand) leaf(parse("ceiling", "--template", "t", "--mqtt-version", "5"))).options;
        for (RunOptions options : List.of(bare, run, soak, ceiling)) {
            assertThat(options.flowOptions().mqttVersion()).isEqualTo(MqttVersion.MQTT_5);
        }
        assertThat(((RunCommand) leaf(parse("run", "--template", "t", "--mqtt-version", "3.1.1"))).options.mqttVersion)
                .isEqualTo(MqttVersion.MQTT_3_1_1);
        assertThatThrownBy(() -> parse("run", "--template", "t", "--mqtt-version", "4"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("MQTT version must be 3 or 5");
        assertThatThrownBy(() -> parse("merge", "/tmp/a", "--out", "/tmp/m", "--mqtt-version", "5"))
                .isInstanceOf(CommandLine.UnmatchedArgumentException.class);
    }

    /** {@code command} followed by the first {@code n} of {@code args}. */
    private static String[] with(String command, String[] args, int n) {
        String[] all = new String[n + 1];
        all[0] = command;
        System.arraycopy(args, 0, all, 1, n);
        return all;
    }
}
