package io.fleetprov.simulator.report;

import io.fleetprov.simulator.client.Phase;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Everything a run (or a merge of shard runs) measured: the counters, one cumulative HDR histogram per phase
 * (microseconds), the per-phase interval histogram logs, the per-second timeline and the fault tallies.
 *
 * @param settings    what was run (source, mode, format, rates…), echoed into summary.json
 * @param requested   devices the run was asked for; in duration mode, the devices it started
 * @param retriedAfter  {@code phase/errorCode} → steps redone on a new connection after the broker dropped one
 * @param histogramLogs per phase, the text of an HdrHistogram interval log (one interval per second)
 * @param slowestTraces the slowest provisioned devices whose claim request carried a trace id, slowest first
 */
public record RunData(
        String runId,
        Map<String, Object> settings,
        int shardIndex,
        int shardCount,
        int shardsMerged,
        long startedAtMs,
        long finishedAtMs,
        long requested,
        long started,
        long provisioned,
        long failed,
        SortedMap<String, Long> failuresByCode,
        SortedMap<String, Long> throttledByPhase,
        Map<Phase, Histogram> histograms,
        Map<Phase, String> histogramLogs,
        List<TimelineRow> timeline,
        SortedMap<String, FaultTally> faults,
        SortedMap<String, Long> retriedAfter,
        List<SlowDevice> slowestTraces) {

    public RunData {
        settings = Map.copyOf(settings);
        failuresByCode = new TreeMap<>(failuresByCode);
        throttledByPhase = new TreeMap<>(throttledByPhase);
        histograms = enumMap(histograms);
        histogramLogs = enumMap(histogramLogs);
        timeline = List.copyOf(timeline);
        faults = new TreeMap<>(faults);
        retriedAfter = new TreeMap<>(retriedAfter);
        slowestTraces = SlowDevice.slowest(slowestTraces);
    }

    private static <V> Map<Phase, V> enumMap(Map<Phase, V> source) {
        Map<Phase, V> copy = new EnumMap<>(Phase.class);
        copy.putAll(source);
        return copy;
    }

    public double durationSeconds() {
        return Math.max(0.001, (finishedAtMs - startedAtMs) / 1000.0);
    }

    /** Provisioned devices per second of wall-clock time, first start to last finish. */
    public double devicesPerSecond() {
        return provisioned / durationSeconds();
    }

    public long throttled() {
        return throttledByPhase.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Failed devices as a fraction of the devices that finished (provisioned or failed). */
    public double errorRate() {
        long finished = provisioned + failed;
        return finished == 0 ? 0 : (double) failed / finished;
    }

    public Histogram histogram(Phase phase) {
        return histograms.get(phase);
    }
}
