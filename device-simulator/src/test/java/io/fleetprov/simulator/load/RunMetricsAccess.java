package io.fleetprov.simulator.load;

import io.fleetprov.simulator.client.Phase;

/** Lets report tests record known latencies through the real {@link RunMetrics}. */
public final class RunMetricsAccess {

    private RunMetricsAccess() {}

    public static RunMetrics create(long startedAtMs) {
        return new RunMetrics(startedAtMs);
    }

    public static void provisioned(RunMetrics metrics, String serialNumber, long totalMs, String traceId) {
        metrics.deviceStarted();
        metrics.deviceProvisioned(serialNumber, totalMs, traceId);
    }

    public static void record(RunMetrics metrics, Phase phase, long micros) {
        metrics.phaseCompleted(phase, 0, micros * 1_000);
    }
}
