package io.fleetprov.simulator.report;

/**
 * One second of a run. Counts add up across shards; {@code totalP99Ms} is the p99 of the total latency of the
 * devices that finished in that second (NaN when none did), recomputed from histograms when shards merge.
 */
public record TimelineRow(
        long epochSecond,
        long started,
        long provisioned,
        long failed,
        long throttled,
        long inFlight,
        double totalP99Ms) {

    public static final String CSV_HEADER = "epochSecond,started,provisioned,failed,throttled,inFlight,totalP99Ms";

    public String toCsv() {
        return epochSecond + "," + started + "," + provisioned + "," + failed + "," + throttled + "," + inFlight + ","
                + (Double.isNaN(totalP99Ms) ? "" : String.format(java.util.Locale.ROOT, "%.3f", totalP99Ms));
    }

    public static TimelineRow parseCsv(String line) {
        String[] f = line.split(",", -1);
        return new TimelineRow(
                Long.parseLong(f[0]),
                Long.parseLong(f[1]),
                Long.parseLong(f[2]),
                Long.parseLong(f[3]),
                Long.parseLong(f[4]),
                Long.parseLong(f[5]),
                f[6].isEmpty() ? Double.NaN : Double.parseDouble(f[6]));
    }

    public TimelineRow plusCounts(TimelineRow other) {
        return new TimelineRow(
                epochSecond,
                started + other.started,
                provisioned + other.provisioned,
                failed + other.failed,
                throttled + other.throttled,
                inFlight + other.inFlight,
                Double.NaN);
    }

    public TimelineRow withTotalP99Ms(double p99) {
        return new TimelineRow(epochSecond, started, provisioned, failed, throttled, inFlight, p99);
    }
}
