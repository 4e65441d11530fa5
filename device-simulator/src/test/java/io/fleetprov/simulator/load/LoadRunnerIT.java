package io.fleetprov.simulator.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.simulator.EmulatorClaims;
import io.fleetprov.simulator.FlowRuntime;
import io.fleetprov.simulator.client.FlowOptions;
import io.fleetprov.simulator.client.MqttTarget;
import io.fleetprov.simulator.client.Phase;
import io.fleetprov.simulator.client.ProvisioningFlow;
import io.fleetprov.simulator.report.ReportWriter;
import io.fleetprov.simulator.report.RunData;
import io.fleetprov.simulator.report.RunMerger;
import io.fleetprov.simulator.report.TimelineRow;
import io.fleetprov.testing.junit.IotEmulatorExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The load generator against a real in-process emulator: counts, histograms, reports, shards and throttling. */
class LoadRunnerIT {

    @RegisterExtension
    static IotEmulatorExtension emulatorExtension = new IotEmulatorExtension();

    @RegisterExtension
    static FlowRuntime runtime = new FlowRuntime();

    private static ProvisioningFlow flow;
    private static EmulatorClaims claims;

    @BeforeAll
    static void start() {
        IotEmulator emulator = emulatorExtension.get();
        EmulatorClaims.installTemplate(emulator);
        var target = new MqttTarget("localhost", emulator.mqttPort(), emulator.caCertificatePem(), false);
        flow = new ProvisioningFlow(
                runtime.vertx(),
                target,
                FlowOptions.defaults(EmulatorClaims.TEMPLATE).withTimeout(Duration.ofSeconds(15)),
                runtime.cpu());
        claims = new EmulatorClaims(emulator, EmulatorClaims.TEMPLATE);
    }

    private static LoadPlan plan(String runId, long devices, double rate, Shard shard) {
        return new LoadPlan(runId, devices, null, rate, Duration.ZERO, 16, shard, "sim-", FaultPlan.NONE);
    }

    @Test
    void provisionsEveryDeviceAndWritesTheReport(@TempDir Path out) throws Exception {
        Set<String> things = ConcurrentHashMap.newKeySet();
        var runner = new LoadRunner(flow, claims, plan("single", 30, 30, Shard.SINGLE), d -> things.add(d.thingName()));

        RunData run = runner.run(Map.of("source", "test"), m -> {});

        assertThat(run.requested()).isEqualTo(30);
        assertThat(run.provisioned()).as("failures: %s", run.failuresByCode()).isEqualTo(30);
        assertThat(run.failed()).isZero();
        assertThat(things).hasSize(30).allSatisfy(name -> assertThat(name).startsWith("device-sim-single-"));
        // A step redone on a new connection after the broker dropped one is timed again, and counted.
        long redone =
                run.retriedAfter().values().stream().mapToLong(Long::longValue).sum();
        for (Phase phase : Phase.values()) {
            assertThat(run.histogram(phase).getTotalCount()).as(phase.label()).isBetween(30L, 30L + redone);
        }
        for (Phase once : List.of(Phase.CLAIM, Phase.REGISTER_THING, Phase.TOTAL)) {
            assertThat(run.histogram(once).getTotalCount()).as(once.label()).isEqualTo(30);
        }
        // Total runs from the intended start, so it is at least the sum of the phases after the claim.
        assertThat(run.histogram(Phase.TOTAL).getMaxValue())
                .isGreaterThanOrEqualTo(run.histogram(Phase.FIRST_PUBLISH).getMinValue());
        assertThat(run.timeline().stream().mapToLong(TimelineRow::provisioned).sum())
                .isEqualTo(30);
        assertThat(run.devicesPerSecond()).isPositive();

        ReportWriter.write(out, run, null);
        JsonNode summary =
                new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertThat(summary.path("requested").asLong()).isEqualTo(30);
        assertThat(summary.path("provisioned").asLong()).isEqualTo(30);
        assertThat(summary.path("failedByErrorCode").size()).isZero();
        assertThat(summary.path("phases").path("total").path("p99Ms").asDouble())
                .isPositive();
        assertThat(summary.path("phases").path("register-thing").path("count").asLong())
                .isEqualTo(30);
        assertThat(Files.readString(out.resolve("report.html")))
                .contains("data:image/png;base64,")
                .doesNotContain("<script");
        assertThat(out.resolve("histograms/total.hlog")).exists();
        assertThat(Files.readAllLines(out.resolve("timeline.csv")).get(0)).isEqualTo(TimelineRow.CSV_HEADER);
    }

    @Test
    void shardsRunDisjointDevicesAndMergeExactly(@TempDir Path out) throws Exception {
        Set<String> things = ConcurrentHashMap.newKeySet();
        RunData shard0 = new LoadRunner(
                        flow, claims, plan("sharded", 21, 40, new Shard(0, 2)), d -> things.add(d.thingName()))
                .run(Map.of(), m -> {});
        RunData shard1 = new LoadRunner(
                        flow, claims, plan("sharded", 21, 40, new Shard(1, 2)), d -> things.add(d.thingName()))
                .run(Map.of(), m -> {});
        ReportWriter.write(out.resolve("0"), shard0, null);
        ReportWriter.write(out.resolve("1"), shard1, null);

        RunData merged = RunMerger.merge(List.of(out.resolve("0"), out.resolve("1")));

        assertThat(shard0.requested() + shard1.requested()).isEqualTo(21);
        assertThat(things).hasSize(21);
        assertThat(merged.provisioned()).isEqualTo(21);
        assertThat(merged.shardsMerged()).isEqualTo(2);
        for (Phase phase : Phase.values()) {
            Histogram expected = shard0.histogram(phase).copy();
            expected.add(shard1.histogram(phase));
            assertThat(merged.histogram(phase)).as(phase.label()).isEqualTo(expected);
        }
    }

    @Test
    void throttlingIsRetriedWithBackoffAndCounted() {
        IotEmulator emulator = emulatorExtension.get();
        emulator.throttle().setRate("RegisterThing", 4);
        try {
            RunData run = new LoadRunner(flow, claims, plan("throttled", 12, 40, Shard.SINGLE), d -> {})
                    .run(Map.of(), m -> {});
            assertThat(run.provisioned())
                    .as("failures: %s", run.failuresByCode())
                    .isEqualTo(12);
            assertThat(run.throttledByPhase()).containsKey(Phase.REGISTER_THING.label());
            assertThat(run.throttled()).isPositive();
        } finally {
            emulator.throttle().setRate("RegisterThing", 0);
        }
    }
}
