package io.fleetprov.simulator.report;

import org.HdrHistogram.Histogram;

/** The figures summary.json gives per phase, in milliseconds, from a histogram recorded in microseconds. */
public record PhaseStats(
        long count, double p50Ms, double p90Ms, double p99Ms, double p999Ms, double maxMs, double meanMs) {

    public static PhaseStats of(Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return new PhaseStats(0, 0, 0, 0, 0, 0, 0);
        }
        return new PhaseStats(
                micros.getTotalCount(),
                ms(micros.getValueAtPercentile(50)),
                ms(micros.getValueAtPercentile(90)),
                ms(micros.getValueAtPercentile(99)),
                ms(micros.getValueAtPercentile(99.9)),
                ms(micros.getMaxValue()),
                round(micros.getMean() / 1000.0));
    }

    /** p50, p90, p99, p99.9 or max by name, as SLO expressions write them. */
    public double byName(String name) {
        return switch (name) {
            case "p50" -> p50Ms;
            case "p90" -> p90Ms;
            case "p99" -> p99Ms;
            case "p999", "p99.9" -> p999Ms;
            case "max" -> maxMs;
            case "mean" -> meanMs;
            default ->
                throw new IllegalArgumentException(
                        "unknown statistic " + name + " (use p50, p90, p99, p99.9, max or mean)");
        };
    }

    private static double ms(long micros) {
        return round(micros / 1000.0);
    }

    private static double round(double ms) {
        return Math.round(ms * 1000) / 1000.0;
    }
}
