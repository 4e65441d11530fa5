package io.fleetprov.claims.event;

import io.fleetprov.claims.config.ClaimServiceConfig;
import io.fleetprov.claims.store.OutboxEntry;
import io.fleetprov.claims.store.OutboxStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.mqtt.SendingMqttMessageMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
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
 * Relays the outbox to MQTT ({@code fleetprov/events/{type}}, QoS 1), signing each event (ES256, {@link EventSigning})
 * before its first send. An entry counts as delivered only when the
 * broker routes it back to {@link EventConfirmations}; until then it is sent again every
 * {@code fleetprov.events.redeliver-after}. A broker outage therefore delays events and loses none; consumers
 * de-duplicate on the stable event id. An event still unconfirmed after {@code fleetprov.events.max-attempts} sends,
 * or too large to ever be accepted, is dead-lettered (logged with its id and type, counted in
 * {@code fleetprov_outbox_dead_letters_total}) so that it cannot hold up or burden the others. Every replica runs a
 * relay; {@link OutboxStore#take} gives each row to one of them at a time.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(5);

    static final String UNCONFIRMED = "unconfirmed";
    static final String TOO_LARGE = "too-large";

    private final MutinyEmitter<String> emitter;
    private final OutboxStore outbox;
    private final Clock clock;
    private final ClaimServiceConfig config;
    private final MeterRegistry registry;
    private final EventSigning signing;
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicReference<Instant> lastSuccess = new AtomicReference<>();
    private final AtomicReference<String> lastFailure = new AtomicReference<>();

    public OutboxRelay(
            @Channel("fleet-events") MutinyEmitter<String> emitter,
            OutboxStore outbox,
            Clock clock,
            ClaimServiceConfig config,
            MeterRegistry registry,
            EventSigning signing) {
        this.emitter = emitter;
        this.outbox = outbox;
        this.clock = clock;
        this.config = config;
        this.registry = registry;
        this.signing = signing;
        Gauge.builder("fleetprov.outbox.backlog", backlog, AtomicLong::get)
                .description("Events written but neither confirmed by the broker nor dead-lettered")
                .register(registry);
    }

    @Scheduled(every = "${fleetprov.events.relay-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void relay() {
        try {
            Instant now = clock.instant();
            ClaimServiceConfig.Events settings = config.events();
            for (OutboxEntry entry : outbox.deadLetterExhausted(
                    settings.maxAttempts(), now.minus(settings.redeliverAfter()), UNCONFIRMED, now)) {
                deadLettered(entry, UNCONFIRMED);
            }
            int sent;
            do {
                sent = relayBatch();
            } while (sent == settings.batchSize());
            backlog.set(outbox.backlog());
        } catch (RuntimeException e) {
            lastFailure.set(e.getMessage());
            LOG.warnf("outbox relay paused: %s", e.getMessage());
        }
    }

    /** Takes one batch and sends it; returns how many rows it took, or -1 when the broker is unreachable. */
    private int relayBatch() {
        Instant now = clock.instant();
        ClaimServiceConfig.Events settings = config.events();
        List<OutboxEntry> taken =
                outbox.take(now, now.minus(settings.redeliverAfter()), settings.maxAttempts(), settings.batchSize());
        for (int i = 0; i < taken.size(); i++) {
            OutboxEntry entry = taken.get(i);
            String message = entry.payload();
            if (message.startsWith("{")) {
                // A JSON envelope as FleetEvents wrote it (a compact JWS never starts with "{"): signed here, before
                // its first send, and stored so that every later send is the same bytes.
                message = signing.signer().sign(message.getBytes(StandardCharsets.UTF_8));
                if (!outbox.storeSigned(entry.id(), entry.payload(), message)) {
                    // Another replica took the row over meanwhile and signed it; it sends it.
                    continue;
                }
            }
            if (message.getBytes(StandardCharsets.UTF_8).length > settings.maxPayloadBytes()) {
                outbox.deadLetter(entry.id(), TOO_LARGE, clock.instant());
                deadLettered(entry, TOO_LARGE);
                continue;
            }
            try {
                emitter.sendMessage(Message.of(message)
                                .addMetadata(
                                        new SendingMqttMessageMetadata(entry.topic(), MqttQoS.AT_LEAST_ONCE, false)))
                        .await()
                        .atMost(SEND_TIMEOUT);
            } catch (RuntimeException e) {
                // Broker unreachable: this entry and the rest of the batch are due again at the next run.
                lastFailure.set(e.getMessage());
                LOG.debugf("event %s not sent: %s", entry.eventId(), e.getMessage());
                taken.subList(i, taken.size()).forEach(unsent -> outbox.release(unsent.id()));
                return -1;
            }
            lastSuccess.set(clock.instant());
        }
        return taken.size();
    }

    /** The payload stays out of the log: it names installers and devices, and is in the outbox row for an operator. */
    private void deadLettered(OutboxEntry entry, String reason) {
        registry.counter("fleetprov.outbox.dead.letters", "reason", reason).increment();
        LOG.errorf(
                "event %s on %s dead-lettered after %d send(s): %s",
                entry.eventId(), entry.topic(), entry.attempts(), reason);
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
