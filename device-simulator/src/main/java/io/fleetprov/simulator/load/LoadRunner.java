package io.fleetprov.simulator.load;

import io.fleetprov.simulator.claim.ClaimSource;
import io.fleetprov.simulator.client.DeviceClient;
import io.fleetprov.simulator.client.FaultMode;
import io.fleetprov.simulator.client.FlowException;
import io.fleetprov.simulator.client.Phase;
import io.fleetprov.simulator.client.ProvisionedDevice;
import io.fleetprov.simulator.client.ProvisioningFlow;
import io.fleetprov.simulator.report.RunData;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The open-model load generator. Device n is due at a fixed offset from the start ({@link ArrivalSchedule}); the
 * arrival thread starts it then, or as soon as one of {@code concurrency} slots frees up. Every latency is
 * measured from the due time, so a stalled server shows as latency rather than as a lower arrival rate (no
 * coordinated omission).
 */
public final class LoadRunner {

    private final ProvisioningFlow flow;
    private final ClaimSource claims;
    private final LoadPlan plan;
    private final Consumer<ProvisionedDevice> onProvisioned;
    private final Consumer<ProvisioningFlow.Held> keepConnected;
    private volatile boolean stopRequested;
    private final java.util.Set<String> reportedKinds = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public LoadRunner(
            ProvisioningFlow flow, ClaimSource claims, LoadPlan plan, Consumer<ProvisionedDevice> onProvisioned) {
        this(flow, claims, plan, onProvisioned, null);
    }

    /**
     * @param keepConnected when not null, each provisioned device stays connected with its own certificate and is
     *                      handed over here (soak) instead of disconnecting
     */
    public LoadRunner(
            ProvisioningFlow flow,
            ClaimSource claims,
            LoadPlan plan,
            Consumer<ProvisionedDevice> onProvisioned,
            Consumer<ProvisioningFlow.Held> keepConnected) {
        this.flow = flow;
        this.claims = claims;
        this.plan = plan;
        this.onProvisioned = onProvisioned;
        this.keepConnected = keepConnected;
    }

    /** Stops new arrivals (Ctrl-C); devices in flight finish. */
    public void stop() {
        stopRequested = true;
    }

    public RunData run(Map<String, Object> settings, Consumer<RunMetrics> onStart) {
        long startedAtMs = System.currentTimeMillis();
        long startNanos = System.nanoTime();
        RunMetrics metrics = new RunMetrics(startedAtMs);
        onStart.accept(metrics);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "simulator-metrics");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleAtFixedRate(metrics::tick, 1, 1, TimeUnit.SECONDS);
        Semaphore slots = new Semaphore(plan.concurrency());
        ArrivalSchedule schedule = plan.schedule();
        long shardDevices = plan.shardDevices();
        long endNanos = plan.devices() > 0
                ? Long.MAX_VALUE
                : startNanos + plan.duration().toNanos();
        long requested = 0;
        try {
            for (long n = 0; !stopRequested && (shardDevices < 0 || n < shardDevices); n++) {
                long due = startNanos + schedule.offsetNanos(n);
                if (due >= endNanos) {
                    break;
                }
                sleepUntil(due);
                slots.acquireUninterruptibly();
                long deviceIndex = plan.shard().deviceIndex(plan.devices(), n);
                String serial = plan.serial(deviceIndex);
                Optional<FaultMode> fault = plan.faults().faultFor(deviceIndex);
                if (fault.isPresent()) {
                    metrics.faultStarted(fault.get());
                    flow.runFault(serial, claims, fault.get()).whenComplete((result, error) -> {
                        slots.release();
                        metrics.faultFinished(result);
                    });
                    continue;
                }
                requested++;
                metrics.deviceStarted();
                startDevice(serial, due, metrics).whenComplete((ok, error) -> slots.release());
            }
            // Every step has a timeout, so in-flight devices end; the bound only guards against a lost future.
            Duration drain = flow.options().timeout().multipliedBy(12).plus(Duration.ofMinutes(6));
            if (!slots.tryAcquire(plan.concurrency(), drain.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("devices still in flight after " + drain);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ticker.shutdownNow();
        }
        return metrics.finish(plan.runId(), settings, plan.shard(), requested);
    }

    private CompletableFuture<Void> startDevice(String serial, long dueNanos, RunMetrics metrics) {
        CompletableFuture<ProvisionedDevice> device;
        try {
            device = keepConnected == null
                    ? flow.provision(serial, claims, dueNanos, metrics)
                    : flow.provisionConnected(serial, claims, dueNanos, metrics).thenApply(connected -> {
                        keepConnected.accept(connected.held());
                        return connected.device();
                    });
        } catch (RuntimeException e) {
            device = CompletableFuture.failedFuture(e);
        }
        return device.handle((provisioned, error) -> {
            if (error == null) {
                metrics.deviceProvisioned(
                        serial,
                        (System.nanoTime() - dueNanos) / 1_000_000,
                        claims.traceId(serial).orElse(null));
                onProvisioned.accept(provisioned);
            } else {
                Throwable cause = DeviceClient.unwrap(error);
                FlowException failure = cause instanceof FlowException flowFailure
                        ? flowFailure
                        : new FlowException(Phase.TOTAL, DeviceClient.classify(cause, "device " + serial));
                metrics.deviceFailed(failure);
                if (reportedKinds.add(failure.key())) {
                    // The first failure of each kind, in words; the summary then counts them by key.
                    System.err.println("fleetprov simulate: first " + failure.key() + ": " + failure.getMessage());
                }
            }
            return null;
        });
    }

    private static void sleepUntil(long dueNanos) {
        long remaining;
        while ((remaining = dueNanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(remaining);
        }
    }
}
