package io.fleetprov.simulator.load;

import io.fleetprov.simulator.client.FaultMode;
import io.fleetprov.simulator.client.FaultResult;
import io.fleetprov.simulator.client.FlowException;
import io.fleetprov.simulator.client.FlowListener;
import io.fleetprov.simulator.client.Phase;
import io.fleetprov.simulator.report.FaultTally;
import io.fleetprov.simulator.report.RunData;
import io.fleetprov.simulator.report.SlowDevice;
import io.fleetprov.simulator.report.TimelineRow;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * Collects a run's measurements while devices record into it from many threads: latency goes into one
 * {@link Interval} per phase; once a second {@link #tick()} takes each phase's interval histogram, logs it, adds it
 * to the cumulative one and appends a timeline row.
 */
public final class RunMetrics implements FlowListener {

    /** Three significant digits: 1 ms is told from 1.001 ms, 10 s from 10.01 s. */
    private static final int DIGITS = 3;

    private final Map<Phase, Interval> recorders = new EnumMap<>(Phase.class);
    private final Map<Phase, Histogram> cumulative = new EnumMap<>(Phase.class);
    private final Map<Phase, ByteArrayOutputStream> logBuffers = new EnumMap<>(Phase.class);
    private final Map<Phase, HistogramLogWriter> logs = new EnumMap<>(Phase.class);
    private final LongAdder started = new LongAdder();
    private final LongAdder provisioned = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final AtomicLong inFlight = new AtomicLong();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final Map<Phase, LongAdder> throttled = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> retried = new ConcurrentHashMap<>();
    private final Map<FaultMode, LongAdder> faultsInjected = new ConcurrentHashMap<>();
    private final Map<FaultMode, LongAdder> faultsAsExpected = new ConcurrentHashMap<>();
    private final Map<FaultMode, Map<String, LongAdder>> faultsObserved = new ConcurrentHashMap<>();
    private final List<TimelineRow> timeline = new ArrayList<>();
    // The fastest of the kept devices on top, so it is the one dropped when a slower one arrives.
    private final PriorityQueue<SlowDevice> slowest =
            new PriorityQueue<>(Comparator.comparingLong(SlowDevice::totalMs));
    private final long startedAtMs;
    private long lastTickMs;
    private long lastStarted;
    private long lastProvisioned;
    private long lastFailed;
    private long lastThrottled;
    private volatile Snapshot snapshot;

    public RunMetrics(long startedAtMs) {
        this.startedAtMs = startedAtMs;
        this.lastTickMs = startedAtMs;
        for (Phase phase : Phase.values()) {
            recorders.put(phase, new Interval());
            cumulative.put(phase, new Histogram(DIGITS));
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            HistogramLogWriter writer = new HistogramLogWriter(new PrintStream(buffer, true, StandardCharsets.UTF_8));
            writer.outputComment("fleetprov device-simulator, phase " + phase.label() + ", values in microseconds");
            writer.outputLogFormatVersion();
            writer.outputStartTime(startedAtMs);
            writer.outputBaseTime(startedAtMs);
            writer.setBaseTime(startedAtMs);
            writer.outputLegend();
            logBuffers.put(phase, buffer);
            logs.put(phase, writer);
        }
        this.snapshot = new Snapshot(0, 0, 0, 0, 0, Double.NaN);
    }

    @Override
    public void phaseCompleted(Phase phase, long startNanos, long endNanos) {
        recorders.get(phase).record(Math.max(0, (endNanos - startNanos) / 1_000));
    }

    @Override
    public void throttled(Phase phase) {
        throttled.computeIfAbsent(phase, p -> new LongAdder()).increment();
    }

    @Override
    public void retried(String key) {
        retried.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    void deviceStarted() {
        started.increment();
        inFlight.incrementAndGet();
    }

    void deviceProvisioned() {
        provisioned.increment();
        inFlight.decrementAndGet();
    }

    /** A provisioned device whose claim request carried {@code traceId}; kept if among the slowest. */
    void deviceProvisioned(String serialNumber, long totalMs, String traceId) {
        deviceProvisioned();
        if (traceId != null) {
            synchronized (slowest) {
                slowest.add(new SlowDevice(serialNumber, totalMs, traceId));
                if (slowest.size() > SlowDevice.LISTED) {
                    slowest.poll();
                }
            }
        }
    }

    void deviceFailed(FlowException failure) {
        failed.increment();
        inFlight.decrementAndGet();
        failures.computeIfAbsent(failure.key(), k -> new LongAdder()).increment();
    }

    void faultStarted(FaultMode mode) {
        faultsInjected.computeIfAbsent(mode, m -> new LongAdder()).increment();
        inFlight.incrementAndGet();
    }

    void faultFinished(FaultResult result) {
        inFlight.decrementAndGet();
        if (result.asExpected()) {
            faultsAsExpected
                    .computeIfAbsent(result.mode(), m -> new LongAdder())
                    .increment();
        }
        faultsObserved
                .computeIfAbsent(result.mode(), m -> new ConcurrentHashMap<>())
                .computeIfAbsent(result.observed(), k -> new LongAdder())
                .increment();
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    /** Closes the current one-second interval; called by one thread only. */
    public synchronized void tick() {
        long now = System.currentTimeMillis();
        Histogram totalInterval = null;
        for (Phase phase : Phase.values()) {
            Histogram interval = recorders.get(phase).swap();
            if (phase == Phase.TOTAL) {
                totalInterval = interval;
            }
            interval.setStartTimeStamp(lastTickMs);
            interval.setEndTimeStamp(now);
            if (interval.getTotalCount() > 0) {
                logs.get(phase).outputIntervalHistogram(interval);
                cumulative.get(phase).add(interval);
            }
        }
        long s = started.sum();
        long p = provisioned.sum();
        long f = failed.sum();
        long t = throttled.values().stream().mapToLong(LongAdder::sum).sum();
        timeline.add(new TimelineRow(
                lastTickMs / 1000,
                s - lastStarted,
                p - lastProvisioned,
                f - lastFailed,
                t - lastThrottled,
                inFlight.get(),
                totalInterval.getTotalCount() == 0 ? Double.NaN : totalInterval.getValueAtPercentile(99) / 1000.0));
        lastStarted = s;
        lastProvisioned = p;
        lastFailed = f;
        lastThrottled = t;
        lastTickMs = now;
        Histogram total = cumulative.get(Phase.TOTAL);
        snapshot = new Snapshot(
                s,
                p,
                f,
                t,
                inFlight.get(),
                total.getTotalCount() == 0 ? Double.NaN : total.getValueAtPercentile(99) / 1000.0);
    }

    /** Final tick, then everything as a {@link RunData}. */
    public synchronized RunData finish(String runId, Map<String, Object> settings, Shard shard, long requested) {
        tick();
        Map<Phase, String> logText = new EnumMap<>(Phase.class);
        logBuffers.forEach((phase, buffer) -> logText.put(phase, buffer.toString(StandardCharsets.UTF_8)));
        TreeMap<String, Long> failuresByCode = new TreeMap<>();
        failures.forEach((k, v) -> failuresByCode.put(k, v.sum()));
        TreeMap<String, Long> throttledByPhase = new TreeMap<>();
        throttled.forEach((k, v) -> throttledByPhase.put(k.label(), v.sum()));
        TreeMap<String, FaultTally> faults = new TreeMap<>();
        faultsInjected.forEach((mode, count) -> {
            Map<String, Long> observed = new TreeMap<>();
            faultsObserved.getOrDefault(mode, Map.of()).forEach((k, v) -> observed.put(k, v.sum()));
            faults.put(
                    mode.label(),
                    new FaultTally(
                            mode.expected(),
                            count.sum(),
                            faultsAsExpected.getOrDefault(mode, new LongAdder()).sum(),
                            observed));
        });
        TreeMap<String, Long> retriedAfter = new TreeMap<>();
        retried.forEach((k, v) -> retriedAfter.put(k, v.sum()));
        Map<Phase, Histogram> histograms = new EnumMap<>(Phase.class);
        cumulative.forEach((phase, h) -> histograms.put(phase, h.copy()));
        return new RunData(
                runId,
                settings,
                shard.index(),
                shard.count(),
                1,
                startedAtMs,
                lastTickMs,
                requested < 0 ? started.sum() : requested,
                started.sum(),
                provisioned.sum(),
                failed.sum(),
                failuresByCode,
                throttledByPhase,
                histograms,
                logText,
                timeline,
                faults,
                retriedAfter,
                slowestTraces());
    }

    private List<SlowDevice> slowestTraces() {
        synchronized (slowest) {
            return List.copyOf(slowest);
        }
    }

    /**
     * One phase's latencies since the last tick, in a plain {@link Histogram} behind a lock. HDR's {@code Recorder}
     * hands out {@code ConcurrentHistogram}s, which take and release a reader lock for every bucket read: logging and
     * adding up eight of them each second was 10 % of the simulator's CPU in a 100-devices/s profile, more than its
     * MQTT client. A few hundred recordings a second from the event loops make the lock uncontended.
     */
    private static final class Interval {
        private Histogram current = new Histogram(DIGITS);
        /** The histogram handed out at the last swap; only the ticking thread touches it. */
        private Histogram spare = new Histogram(DIGITS);

        synchronized void record(long micros) {
            current.recordValue(micros);
        }

        /** Ends the interval: its histogram, which the caller may read until the next swap. */
        Histogram swap() {
            Histogram next = spare;
            next.reset();
            Histogram done;
            synchronized (this) {
                done = current;
                current = next;
            }
            spare = done;
            return done;
        }
    }

    /** What the progress display shows. */
    public record Snapshot(
            long started, long provisioned, long failed, long throttled, long inFlight, double totalP99Ms) {}
}
