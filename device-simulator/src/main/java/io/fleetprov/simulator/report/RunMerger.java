package io.fleetprov.simulator.report;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.fleetprov.simulator.client.Phase;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.HistogramLogWriter;

/**
 * Combines shard output directories into one run, exactly: counters add up, histograms are merged interval by
 * interval from the HDR logs (percentiles are recomputed, never averaged), timeline rows add up per second and
 * each second's p99 is recomputed from the merged interval histograms.
 */
public final class RunMerger {

    private RunMerger() {}

    public static RunData merge(List<Path> dirs) throws IOException {
        if (dirs.isEmpty()) {
            throw new IllegalArgumentException("nothing to merge");
        }
        String runId = null;
        Map<String, Object> settings = null;
        long startedAt = Long.MAX_VALUE;
        long finishedAt = Long.MIN_VALUE;
        long requested = 0;
        long started = 0;
        long provisioned = 0;
        long failed = 0;
        int shardCount = 0;
        int shardsMerged = 0;
        TreeMap<String, Long> failures = new TreeMap<>();
        TreeMap<String, Long> throttled = new TreeMap<>();
        TreeMap<String, Long> retried = new TreeMap<>();
        TreeMap<String, FaultTally> faults = new TreeMap<>();
        List<SlowDevice> slowest = new ArrayList<>();
        Map<Phase, List<Histogram>> intervals = new EnumMap<>(Phase.class);
        TreeMap<Long, TimelineRow> timeline = new TreeMap<>();
        for (Path dir : dirs) {
            JsonNode s = SummaryJson.read(dir.resolve(ReportWriter.SUMMARY));
            String id = s.path("runId").asText();
            if (runId == null) {
                runId = id;
                settings = SummaryJson.JSON.convertValue(s.path("settings"), new TypeReference<>() {});
            } else if (!runId.equals(id)) {
                throw new IllegalArgumentException(dir + " is run " + id + ", not " + runId);
            }
            startedAt = Math.min(startedAt, s.path("startedAtEpochMs").asLong());
            finishedAt = Math.max(finishedAt, s.path("finishedAtEpochMs").asLong());
            requested += s.path("requested").asLong();
            started += s.path("started").asLong();
            provisioned += s.path("provisioned").asLong();
            failed += s.path("failed").asLong();
            shardCount = Math.max(shardCount, s.path("shardCount").asInt(1));
            shardsMerged += s.path("shardsMerged").asInt(1);
            s.path("failedByErrorCode")
                    .properties()
                    .iterator()
                    .forEachRemaining(
                            e -> failures.merge(e.getKey(), e.getValue().asLong(), Long::sum));
            s.path("throttled")
                    .path("byPhase")
                    .properties()
                    .iterator()
                    .forEachRemaining(
                            e -> throttled.merge(e.getKey(), e.getValue().asLong(), Long::sum));
            s.path("retriedAfterConnectionLoss")
                    .properties()
                    .iterator()
                    .forEachRemaining(
                            e -> retried.merge(e.getKey(), e.getValue().asLong(), Long::sum));
            for (JsonNode device : s.path("slowestTraces")) {
                slowest.add(SummaryJson.JSON.convertValue(device, SlowDevice.class));
            }
            s.path("faults")
                    .properties()
                    .iterator()
                    .forEachRemaining(e -> faults.merge(
                            e.getKey(),
                            SummaryJson.JSON.convertValue(e.getValue(), FaultTally.class),
                            FaultTally::plus));
            for (Phase phase : Phase.values()) {
                intervals
                        .computeIfAbsent(phase, p -> new ArrayList<>())
                        .addAll(readIntervals(ReportWriter.histogramLog(dir, phase)));
            }
            for (String line : Files.readAllLines(dir.resolve(ReportWriter.TIMELINE), StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("epochSecond")) {
                    continue;
                }
                TimelineRow row = TimelineRow.parseCsv(line);
                timeline.merge(row.epochSecond(), row, TimelineRow::plusCounts);
            }
        }
        Map<Phase, Histogram> histograms = new EnumMap<>(Phase.class);
        Map<Phase, String> logs = new EnumMap<>(Phase.class);
        for (Phase phase : Phase.values()) {
            List<Histogram> list = intervals.get(phase);
            list.sort(Comparator.comparingLong(Histogram::getStartTimeStamp));
            Histogram sum = new Histogram(3);
            list.forEach(sum::add);
            histograms.put(phase, sum);
            logs.put(phase, writeLog(phase, startedAt, list));
        }
        // Each second's p99 again, from the devices of all shards that finished in that second.
        Map<Long, Histogram> totalBySecond = new TreeMap<>();
        for (Histogram interval : intervals.get(Phase.TOTAL)) {
            totalBySecond
                    .computeIfAbsent(interval.getStartTimeStamp() / 1000, k -> new Histogram(3))
                    .add(interval);
        }
        List<TimelineRow> rows = new ArrayList<>();
        timeline.forEach((second, row) -> {
            Histogram h = totalBySecond.get(second);
            rows.add(row.withTotalP99Ms(
                    h == null || h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(99) / 1000.0));
        });
        return new RunData(
                runId,
                settings == null ? Map.of() : settings,
                0,
                shardCount,
                shardsMerged,
                startedAt,
                finishedAt,
                requested,
                started,
                provisioned,
                failed,
                failures,
                throttled,
                histograms,
                logs,
                rows,
                faults,
                retried,
                slowest);
    }

    static List<Histogram> readIntervals(Path log) throws IOException {
        List<Histogram> result = new ArrayList<>();
        if (!Files.exists(log)) {
            return result;
        }
        HistogramLogReader reader = new HistogramLogReader(new ByteArrayInputStream(Files.readAllBytes(log)));
        EncodableHistogram next;
        while ((next = reader.nextIntervalHistogram()) != null) {
            result.add((Histogram) next);
        }
        return result;
    }

    private static String writeLog(Phase phase, long startedAtMs, List<Histogram> intervals) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        HistogramLogWriter writer = new HistogramLogWriter(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        writer.outputComment(
                "fleetprov device-simulator, merged shards, phase " + phase.label() + ", values in microseconds");
        writer.outputLogFormatVersion();
        writer.outputStartTime(startedAtMs);
        writer.outputBaseTime(startedAtMs);
        writer.setBaseTime(startedAtMs);
        writer.outputLegend();
        intervals.forEach(writer::outputIntervalHistogram);
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
