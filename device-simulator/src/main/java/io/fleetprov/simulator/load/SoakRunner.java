package io.fleetprov.simulator.load;

import io.fleetprov.simulator.client.DeviceClient;
import io.fleetprov.simulator.client.DeviceException;
import io.fleetprov.simulator.client.ProvisioningFlow;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Soak: keeps provisioned devices connected with their own certificates and has them publish at a total rate for
 * a while. Publishes follow an open model like arrivals do (message k is due at k / rate, devices take turns), and
 * each PUBACK's latency is measured from the due time. Every connection that closes during the soak without being
 * asked to counts as a disconnect.
 */
public final class SoakRunner {

    /** Publishes in flight at most; beyond it the schedule waits and the wait counts as latency. */
    private static final int MAX_IN_FLIGHT = 10_000;

    private final List<ProvisioningFlow.Held> devices;
    private final String topicTemplate;
    private volatile boolean stopRequested;

    /** @param topicTemplate with {@code {thingName}} and {@code {serial}} replaced per device */
    public SoakRunner(List<ProvisioningFlow.Held> devices, String topicTemplate) {
        this.devices = List.copyOf(devices);
        this.topicTemplate = topicTemplate;
    }

    public void stop() {
        stopRequested = true;
    }

    /** Devices connected now. */
    public int connected() {
        return (int) devices.stream().filter(d -> d.connection().isConnected()).count();
    }

    /**
     * @param memory both processes measured before any device connected and with all of them connected (measure
     *               the second just before this: its full collections take a while)
     */
    public SoakResult run(double publishesPerSecond, Duration duration, SoakMemory memory) {
        int connected = connected();
        LongAdder disconnects = new LongAdder();
        AtomicBoolean soaking = new AtomicBoolean(true);
        for (ProvisioningFlow.Held device : devices) {
            device.connection().closed().thenRun(() -> {
                if (soaking.get()) {
                    disconnects.increment();
                }
            });
        }
        Recorder latency = new Recorder(3);
        LongAdder acked = new LongAdder();
        Map<String, LongAdder> failures = new ConcurrentHashMap<>();
        Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long sent = 0;
        if (!devices.isEmpty()) {
            for (long k = 0; !stopRequested; k++) {
                long due = start + (long) (k * 1e9 / publishesPerSecond);
                if (due >= end) {
                    break;
                }
                long remaining;
                while ((remaining = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(remaining);
                }
                inFlight.acquireUninterruptibly();
                ProvisioningFlow.Held device = devices.get((int) (k % devices.size()));
                String topic = topicTemplate
                        .replace("{thingName}", device.thingName())
                        .replace("{serial}", device.serialNumber());
                sent++;
                device.connection()
                        .publish(topic, ProvisioningFlow.telemetry(device.serialNumber(), k + 1))
                        .whenComplete((ok, error) -> {
                            // Counted before the slot is freed, so the end of the soak sees every outcome.
                            if (error == null) {
                                latency.recordValue(Math.max(0, (System.nanoTime() - due) / 1_000));
                                acked.increment();
                            } else {
                                Throwable cause = DeviceClient.unwrap(error);
                                String code = cause instanceof DeviceException d
                                        ? d.errorCode()
                                        : cause.getClass().getSimpleName();
                                failures.computeIfAbsent(code, c -> new LongAdder())
                                        .increment();
                            }
                            inFlight.release();
                        });
            }
        }
        // The publishing window; waiting below for the last answers is not part of the rate.
        double seconds = (System.nanoTime() - start) / 1e9;
        try {
            inFlight.tryAcquire(MAX_IN_FLIGHT, 60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        soaking.set(false);
        int stillConnected =
                (int) devices.stream().filter(d -> d.connection().isConnected()).count();
        Map<String, Long> failed = new TreeMap<>();
        failures.forEach((k, v) -> failed.put(k, v.sum()));
        Histogram histogram = latency.getIntervalHistogram();
        return new SoakResult(
                devices.size(),
                connected,
                stillConnected,
                disconnects.sum(),
                sent,
                acked.sum(),
                failed,
                histogram,
                seconds,
                publishesPerSecond,
                memory);
    }

    /** Closes every connection and waits for the sockets to go (bounded by each client's timeout). */
    public void disconnectAll() {
        devices.stream()
                .map(d -> d.connection().disconnect())
                .toList()
                .forEach(f -> f.orTimeout(60, TimeUnit.SECONDS)
                        .exceptionally(e -> null)
                        .join());
    }
}
