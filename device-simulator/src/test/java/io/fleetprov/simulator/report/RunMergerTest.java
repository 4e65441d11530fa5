package io.fleetprov.simulator.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetprov.simulator.client.Phase;
import io.fleetprov.simulator.load.RunMetricsAccess;
import io.fleetprov.simulator.load.Shard;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Merging shard outputs gives exactly the histograms one process would have recorded from the same data. */
class RunMergerTest {

    @Test
    void mergedEqualsSingleRunOnTheSameData(@TempDir Path dir) throws Exception {
        long now = System.currentTimeMillis();
        var single = RunMetricsAccess.create(now);
        var shard0 = RunMetricsAccess.create(now);
        var shard1 = RunMetricsAccess.create(now);
        Random random = new Random(42);
        for (int i = 0; i < 5_000; i++) {
            // Long-tailed latencies from 0.1 ms to minutes, so every histogram bucket range is exercised.
            long micros = (long) (100 * Math.exp(random.nextDouble() * 14));
            Phase phase = Phase.values()[i % Phase.values().length];
            RunMetricsAccess.record(single, phase, micros);
            RunMetricsAccess.record(i % 3 == 0 ? shard0 : shard1, phase, micros);
            if (i % 20 == 0) {
                String serial = "SN-" + i;
                String traceId = String.format("%032x", i + 1);
                RunMetricsAccess.provisioned(single, serial, micros / 1000, traceId);
                RunMetricsAccess.provisioned(i % 3 == 0 ? shard0 : shard1, serial, micros / 1000, traceId);
            }
            if (i % 1000 == 0) {
                single.tick();
                shard0.tick();
                shard1.tick();
            }
        }
        RunData expected = single.finish("same", Map.of(), Shard.SINGLE, 0);
        ReportWriter.write(dir.resolve("a"), shard0.finish("same", Map.of(), new Shard(0, 2), 0), null);
        ReportWriter.write(dir.resolve("b"), shard1.finish("same", Map.of(), new Shard(1, 2), 0), null);

        RunData merged = RunMerger.merge(List.of(dir.resolve("a"), dir.resolve("b")));

        for (Phase phase : Phase.values()) {
            assertThat(merged.histogram(phase)).as(phase.label()).isEqualTo(expected.histogram(phase));
            assertThat(PhaseStats.of(merged.histogram(phase))).isEqualTo(PhaseStats.of(expected.histogram(phase)));
        }
        assertThat(merged.slowestTraces()).hasSize(SlowDevice.LISTED).isEqualTo(expected.slowestTraces());
        assertThat(merged.shardsMerged()).isEqualTo(2);
        assertThat(merged.shardCount()).isEqualTo(2);
    }
}
