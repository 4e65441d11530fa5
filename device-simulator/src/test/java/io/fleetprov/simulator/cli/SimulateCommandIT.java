package io.fleetprov.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetprov.simulator.client.Phase;
import io.fleetprov.simulator.load.RunMetricsAccess;
import io.fleetprov.simulator.load.Shard;
import io.fleetprov.simulator.report.ReportWriter;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged command line: help text, merge, and the SLO exit codes CI pipelines rely on. */
@QuarkusMainTest
class SimulateCommandIT {

    @Test
    void helpExplainsEveryCommandAndOption(QuarkusMainLauncher launcher) {
        LaunchResult top = launcher.launch("--help");
        assertThat(top.exitCode()).isZero();
        assertThat(top.getOutput())
                .contains(
                        "run",
                        "soak",
                        "ceiling",
                        "machine-limit",
                        "merge",
                        "cleanup",
                        "--source",
                        "--template",
                        "--devices",
                        "--rate",
                        "--ramp",
                        "--concurrency",
                        "--mode",
                        "--format",
                        "--key-type",
                        "--out",
                        "--slo",
                        "--shard-index",
                        "--shard-count",
                        "--fault",
                        "--emulator-dir",
                        "--claim-service-url",
                        "--machine-limit",
                        "--tls",
                        "--mqtt-endpoint",
                        "--iot-endpoint-url");
        LaunchResult soak = launcher.launch("soak", "--help");
        assertThat(soak.exitCode()).isZero();
        assertThat(soak.getOutput()).contains("--soak-duration", "--soak-rate", "--devices", "--emulator-dir");
        LaunchResult ceiling = launcher.launch("ceiling", "--help");
        assertThat(ceiling.exitCode()).isZero();
        assertThat(ceiling.getOutput())
                .contains(
                        "--ceiling-factor",
                        "--ceiling-step",
                        "--ceiling-max-rate",
                        "--ceiling-refine",
                        "--rate",
                        "--slo");
        LaunchResult limit = launcher.launch("machine-limit", "--help");
        assertThat(limit.exitCode()).isZero();
        assertThat(limit.getOutput()).contains("--key-type", "--tls", "--out");
    }

    @Test
    void aCeilingSearchThatCouldNotEndIsRefusedAsAUsageErrorBeforeAnyDevice(QuarkusMainLauncher launcher) {
        for (String[] flag :
                new String[][] {{"--ceiling-refine", "-1"}, {"--ceiling-factor", "1"}, {"--ceiling-warmup-rate", "0"}
                }) {
            // No emulator at this endpoint: a refusal that came after the runtime opened would fail otherwise.
            LaunchResult refused = launcher.launch(
                    "ceiling",
                    "--template",
                    "t",
                    "--iot-endpoint-url",
                    "http://127.0.0.1:9",
                    "--mqtt-endpoint",
                    "127.0.0.1:9",
                    flag[0],
                    flag[1]);
            assertThat(refused.exitCode()).as(refused.getErrorOutput()).isEqualTo(2);
            assertThat(refused.getErrorOutput()).contains(flag[0]).doesNotContain("Exception", "\tat ");
        }
    }

    @Test
    void mergeWritesOneReportAndExitsThreeWhenTheSloIsMissed(QuarkusMainLauncher launcher, @TempDir Path dir)
            throws Exception {
        for (int shard = 0; shard < 2; shard++) {
            var metrics = RunMetricsAccess.create(System.currentTimeMillis());
            for (int i = 1; i <= 100; i++) {
                for (Phase phase : Phase.values()) {
                    RunMetricsAccess.record(metrics, phase, i * 10_000L);
                }
            }
            ReportWriter.write(
                    dir.resolve("shard-" + shard),
                    metrics.finish("cli", Map.of("source", "test"), new Shard(shard, 2), 0),
                    null);
        }
        String shard0 = dir.resolve("shard-0").toString();
        String shard1 = dir.resolve("shard-1").toString();

        LaunchResult met = launcher.launch(
                "merge", shard0, shard1, "--out", dir.resolve("ok").toString(), "--slo", "p99.total<=2s");
        assertThat(met.exitCode()).as(met.getErrorOutput()).isZero();
        assertThat(met.getOutput()).contains("\"shardsMerged\" : 2");
        assertThat(Files.readString(dir.resolve("ok/summary.json"))).contains("\"passed\" : true");

        LaunchResult missed = launcher.launch(
                "merge", shard0, shard1, "--out", dir.resolve("bad").toString(), "--slo", "p99.total<=500ms");
        assertThat(missed.exitCode()).isEqualTo(3);
        assertThat(missed.getErrorOutput()).contains("SLO missed: p99.total<=500ms");
        assertThat(dir.resolve("bad/report.html")).exists();
    }

    @Test
    void refusesARunWithoutDevicesOrDuration(QuarkusMainLauncher launcher) {
        LaunchResult bare = launcher.launch("--template", "t", "--mqtt-endpoint", "localhost:1");
        assertThat(bare.exitCode()).isEqualTo(2);
        assertThat(bare.getErrorOutput()).contains("--devices");
        LaunchResult run = launcher.launch("run", "--template", "t", "--mqtt-endpoint", "localhost:1");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.getErrorOutput()).contains("--devices");
        LaunchResult oldSoak = launcher.launch("--template", "t", "--mqtt-endpoint", "localhost:1", "--soak", "1m");
        assertThat(oldSoak.exitCode()).isEqualTo(2);
        assertThat(oldSoak.getErrorOutput()).contains("--devices");
    }
}
