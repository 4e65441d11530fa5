package io.fleetprov.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One flow's ceiling search as the bench reports it: every step with the CPU each process spent per device. */
record BenchFlow(
        String name,
        Double ceiling,
        String stoppedBecause,
        List<Step> steps,
        HookLatency.Stats hooks,
        OverloadRun.Result overload) {

    /**
     * One step; {@code cpuMsPerDevice} is process → CPU milliseconds per device provisioned in the step, and
     * {@code jitMsPerDevice} the part of it the JIT compilers of each JVM among them spent (a JVM still compiling
     * was not warm).
     */
    record Step(
            double offeredRate,
            double achievedRate,
            long provisioned,
            long failed,
            double p99TotalMs,
            boolean sustainable,
            Map<String, Double> cpuMsPerDevice,
            Map<String, Double> jitMsPerDevice) {}

    /**
     * Joins the search's {@code ceiling.json} with the CPU marks: mark i is read when step i+1 starts, mark i+1
     * when it ends.
     */
    static BenchFlow of(String name, CeilingRun.Outcome outcome) {
        JsonNode ceiling = outcome.ceiling();
        List<Step> steps = new ArrayList<>();
        JsonNode rows = ceiling.path("steps");
        for (int i = 0; i < rows.size(); i++) {
            JsonNode row = rows.get(i);
            long provisioned = row.path("provisioned").asLong();
            Map<String, Double> perDevice = new LinkedHashMap<>();
            Map<String, Double> jitPerDevice = new LinkedHashMap<>();
            if (i + 1 < outcome.marks().size()) {
                CeilingRun.Mark start = outcome.marks().get(i);
                CeilingRun.Mark end = outcome.marks().get(i + 1);
                perDevice = cpuMsPerDevice(start.cpuSeconds(), end.cpuSeconds(), provisioned);
                jitPerDevice = cpuMsPerDevice(start.jitSeconds(), end.jitSeconds(), provisioned);
            }
            steps.add(new Step(
                    row.path("offeredRate").asDouble(),
                    row.path("devicesPerSecond").asDouble(),
                    provisioned,
                    row.path("failed").asLong(),
                    row.path("p99TotalMs").asDouble(),
                    row.path("sustainable").asBoolean(),
                    perDevice,
                    jitPerDevice));
        }
        JsonNode rate = ceiling.path("highestSustainableRate");
        return new BenchFlow(
                name,
                rate.isNumber() ? rate.asDouble() : null,
                ceiling.path("stoppedBecause").asText(),
                steps,
                null,
                null);
    }

    /** This search with the hook's latency at its reported step and the overload run after it. */
    BenchFlow with(HookLatency.Stats hooksAtStep, OverloadRun.Result overloadRun) {
        return new BenchFlow(name, ceiling, stoppedBecause, steps, hooksAtStep, overloadRun);
    }

    /** Process → (after − before) CPU ms over the devices; NaN for a process that could not be read. */
    static Map<String, Double> cpuMsPerDevice(Map<String, Double> before, Map<String, Double> after, long devices) {
        Map<String, Double> perDevice = new LinkedHashMap<>();
        after.forEach((process, seconds) -> {
            Double start = before.get(process);
            perDevice.put(process, start == null || devices <= 0 ? Double.NaN : (seconds - start) * 1000.0 / devices);
        });
        return perDevice;
    }

    /** The index of the step the ceiling was found at (the last sustainable one), or -1. */
    int ceilingStep() {
        for (int i = steps.size() - 1; i >= 0; i--) {
            if (steps.get(i).sustainable() && ceiling != null && steps.get(i).offeredRate() == ceiling) {
                return i;
            }
        }
        return -1;
    }

    /** The step CPU and hook figures are shown for: the ceiling's, or the first when no step met the SLO. */
    int reportedStep() {
        int i = ceilingStep();
        return i >= 0 || steps.isEmpty() ? i : 0;
    }

    /** The offered rate of {@link #reportedStep()}, or null when there were no steps. */
    Double reportedRate() {
        int i = reportedStep();
        return i < 0 ? null : steps.get(i).offeredRate();
    }

    Map<String, Double> cpuMsPerDeviceReported() {
        int i = reportedStep();
        return i < 0 ? Map.of() : steps.get(i).cpuMsPerDevice();
    }

    Map<String, Double> jitMsPerDeviceReported() {
        int i = reportedStep();
        return i < 0 ? Map.of() : steps.get(i).jitMsPerDevice();
    }
}
