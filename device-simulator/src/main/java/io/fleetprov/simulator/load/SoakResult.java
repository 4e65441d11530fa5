package io.fleetprov.simulator.load;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What a soak measured.
 *
 * @param devices            devices handed to the soak
 * @param connectedAtStart   of those, connected when publishing began
 * @param connectedAtEnd     still connected when it ended
 * @param disconnects        connections closed during the soak without the simulator asking
 * @param publishLatency     PUBACK latency from each publish's due time, microseconds
 * @param memory             both processes' memory before any device connected and with all connected
 */
public record SoakResult(
        int devices,
        int connectedAtStart,
        int connectedAtEnd,
        long disconnects,
        long published,
        long acknowledged,
        Map<String, Long> publishFailuresByCode,
        Histogram publishLatency,
        double seconds,
        double targetPublishesPerSecond,
        SoakMemory memory) {

    /** Publish latency at a percentile, in milliseconds; 0 when nothing was acknowledged. */
    public double publishLatencyMs(double percentile) {
        return publishLatency.getTotalCount() == 0 ? 0 : publishLatency.getValueAtPercentile(percentile) / 1000.0;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("devices", devices);
        m.put("connectedAtStart", connectedAtStart);
        m.put("connectedAtEnd", connectedAtEnd);
        m.put("disconnects", disconnects);
        m.put("seconds", Math.round(seconds * 10) / 10.0);
        m.put("targetPublishesPerSecond", targetPublishesPerSecond);
        m.put("published", published);
        m.put("acknowledged", acknowledged);
        m.put("publishesPerSecond", Math.round(acknowledged / Math.max(seconds, 1e-9) * 10) / 10.0);
        m.put("publishFailuresByCode", publishFailuresByCode);
        Map<String, Object> latency = new LinkedHashMap<>();
        for (double p : new double[] {50, 90, 99, 99.9}) {
            latency.put(
                    "p" + (p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p)) + "Ms",
                    publishLatencyMs(p));
        }
        latency.put("maxMs", publishLatency.getMaxValue() / 1000.0);
        m.put("publishLatency", latency);
        m.put("memory", memory.toMap());
        return m;
    }
}
