package io.fleetprov.claims.event;

import io.fleetprov.claims.config.ClaimServiceConfig;
import io.fleetprov.claims.store.OutboxEntry;
import io.fleetprov.claims.store.OutboxStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.mqtt.SendingMqttMessageMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Relays the outbox to MQTT ({@code fleetprov/events/{type}}, QoS 1) in order. An entry counts as delivered only
 * when the broker routes it back to {@link EventConfirmations}; until then it is sent again every
 * {@code fleetprov.events.redeliver-after}. A broker outage therefore delays events and loses none; consumers
 * de-duplicate on the stable event id.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(5);

    private final MutinyEmitter<String> emitter;
    private final OutboxStore outbox;
    private final Clock clock;
    private final ClaimServiceConfig config;
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicReference<Instant> lastSuccess = new AtomicReference<>();
    private final AtomicReference<String> lastFailure = new AtomicReference<>();

    public OutboxRelay(
            @Channel("fleet-events") MutinyEmitter<String> emitter,
            OutboxStore outbox,
            Clock clock,
            ClaimServiceConfig config,
            MeterRegistry registry) {
        this.emitter = emitter;
        this.outbox = outbox;
        this.clock = clock;
        this.config = config;
        Gauge.builder("fleetprov.outbox.backlog", backlog, AtomicLong::get)
                .description("Events written but not yet confirmed by the broker")
                .register(registry);
    }

    @Scheduled(every = "${fleetprov.events.relay-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void relay() {
        try {
            int sent;
            do {
                sent = relayBatch();
            } while (sent == config.events().batchSize());
            backlog.set(outbox.backlog());
        } catch (RuntimeException e) {
            lastFailure.set(e.getMessage());
            LOG.warnf("outbox relay paused: %s", e.getMessage());
        }
    }

    /** Sends one batch in one transaction; rows stay locked so a second replica skips them. */
    private int relayBatch() {
        return QuarkusTransaction.requiringNew().timeout(60).call(() -> {
            Instant now = clock.instant();
            List<OutboxEntry> due = outbox.due(
                    now.minus(config.events().redeliverAfter()), config.events().batchSize());
            int sent = 0;
            for (OutboxEntry entry : due) {
                try {
                    emitter.sendMessage(Message.of(entry.payload())
                                    .addMetadata(new SendingMqttMessageMetadata(
                                            entry.topic(), MqttQoS.AT_LEAST_ONCE, false)))
                            .await()
                            .atMost(SEND_TIMEOUT);
                } catch (RuntimeException e) {
                    // Broker unreachable: what was sent is recorded, the rest waits for the next run.
                    lastFailure.set(e.getMessage());
                    LOG.debugf("event %s not sent: %s", entry.eventId(), e.getMessage());
                    return -1;
                }
                outbox.markSent(entry.id(), clock.instant());
                lastSuccess.set(clock.instant());
                sent++;
            }
            return sent;
        });
    }

    public long backlog() {
        return backlog.get();
    }

    public Instant lastSuccess() {
        return lastSuccess.get();
    }

    public String lastFailure() {
        return lastFailure.get();
    }
}
