package io.fleetprov.simulator.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fleetprov.simulator.client.Phase;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code summary.json}, the contract of ARCHITECTURE.md: requested, provisioned, failed by error code,
 * devices/s, per-phase p50/p90/p99/max in ms; plus what a merge needs to combine shards exactly.
 */
public final class SummaryJson {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SummaryJson() {}

    public static Map<String, Object> toMap(RunData run, SloResult slo) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runId", run.runId());
        m.put("shardIndex", run.shardIndex());
        m.put("shardCount", run.shardCount());
        m.put("shardsMerged", run.shardsMerged());
        m.put("startedAt", Instant.ofEpochMilli(run.startedAtMs()).toString());
        m.put("finishedAt", Instant.ofEpochMilli(run.finishedAtMs()).toString());
        m.put("startedAtEpochMs", run.startedAtMs());
        m.put("finishedAtEpochMs", run.finishedAtMs());
        m.put("durationSeconds", round(run.durationSeconds()));
        m.put("requested", run.requested());
        m.put("started", run.started());
        m.put("provisioned", run.provisioned());
        m.put("failed", run.failed());
        m.put("failedByErrorCode", run.failuresByCode());
        m.put("errorRate", round(run.errorRate()));
        m.put("devicesPerSecond", round(run.devicesPerSecond()));
        Map<String, Object> throttled = new LinkedHashMap<>();
        throttled.put("total", run.throttled());
        throttled.put("byPhase", run.throttledByPhase());
        m.put("throttled", throttled);
        m.put("retriedAfterConnectionLoss", run.retriedAfter());
        m.put("slowestTraces", run.slowestTraces());
        Map<String, Object> phases = new LinkedHashMap<>();
        for (Phase phase : Phase.values()) {
            phases.put(phase.label(), PhaseStats.of(run.histogram(phase)));
        }
        m.put("latencyUnit", "ms");
        m.put("phases", phases);
        m.put("faults", run.faults());
        m.put("settings", new TreeMap<>(run.settings()));
        if (slo != null) {
            m.put("slo", slo);
        }
        return m;
    }

    public static String toJson(RunData run, SloResult slo) {
        try {
            return JSON.writeValueAsString(toMap(run, slo));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static void write(Path file, RunData run, SloResult slo) throws IOException {
        JSON.writeValue(file.toFile(), toMap(run, slo));
    }

    public static JsonNode read(Path file) throws IOException {
        return JSON.readTree(file.toFile());
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
