package io.fleetprov.emulator.faults;

import io.fleetprov.emulator.broker.MqttBroker;
import io.fleetprov.emulator.provisioning.ApiThrottle;
import io.fleetprov.emulator.provisioning.FleetProvisioningService;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Applies {@link FaultSettings} to the running emulator: throttling rates, hook deadline, and — on the broker's
 * answer path — added latency, dropped {@code /accepted} answers and disconnects between certificate creation
 * and RegisterThing.
 */
public final class FaultInjector implements MqttBroker.ReplyFilter, AutoCloseable {

    private final ApiThrottle throttle;
    private final FleetProvisioningService provisioning;
    private final MqttBroker broker;
    private final ScheduledExecutorService disconnects = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "emulator-faults");
        thread.setDaemon(true);
        return thread;
    });
    private volatile FaultSettings settings;

    public FaultInjector(
            ApiThrottle throttle, FleetProvisioningService provisioning, MqttBroker broker, FaultSettings initial) {
        this.throttle = throttle;
        this.provisioning = provisioning;
        this.broker = broker;
        this.settings = FaultSettings.none();
        update(initial);
        broker.setReplyFilter(this);
    }

    public FaultSettings settings() {
        Map<String, Double> rates = new HashMap<>(throttle.rates());
        FaultSettings current = settings;
        return new FaultSettings(
                rates,
                current.latencyMillis(),
                current.dropAcceptedFraction(),
                provisioning.hookTimeout().toMillis(),
                current.disconnectAfterCreateFraction());
    }

    /** Changes the given settings; throws IllegalArgumentException for values out of range. */
    public synchronized FaultSettings update(FaultSettings update) {
        update.validate();
        if (update.throttle() != null) {
            update.throttle().forEach(throttle::setRate);
        }
        if (update.hookTimeoutMillis() != null) {
            provisioning.setHookTimeout(Duration.ofMillis(update.hookTimeoutMillis()));
        }
        settings = settings.with(update);
        return settings();
    }

    /** Sleeps for the configured added latency; called before answering. */
    public void delay() {
        long millis = settings.latencyMillis();
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean deliver(String clientId, String topic, boolean accepted) {
        delay();
        FaultSettings current = settings;
        if (accepted && chance(current.dropAcceptedFraction())) {
            return false;
        }
        if (accepted && topic.startsWith("$aws/certificates/") && chance(current.disconnectAfterCreateFraction())) {
            // The answer goes out first, so the device holds a certificate it can no longer register.
            disconnects.schedule(() -> broker.disconnect(clientId), 200, TimeUnit.MILLISECONDS);
        }
        return true;
    }

    @Override
    public void close() {
        disconnects.shutdownNow();
    }

    private static boolean chance(double fraction) {
        return fraction > 0 && ThreadLocalRandom.current().nextDouble() < fraction;
    }
}
