package io.fleetprov.claims.event;

import io.fleetprov.claims.config.ClaimServiceConfig;
import io.fleetprov.claims.store.OutboxEntry;
import io.fleetprov.claims.store.OutboxStore;
import io.fleetprov.protocol.event.SignedBatch;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Relays the outbox to MQTT ({@code fleetprov/events/{type}}, QoS 1) in signed batches (fleet-protocol's
 * {@link SignedBatch}: several events per message under one ES256 signature, {@link EventSigning}). An entry counts as
 * delivered only when the broker routes a message holding it back to {@link EventConfirmations}; until then it is
 * sent again every
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

    // Skipped while stopping: the channel and the datasource close while the scheduler may still fire.
    @Scheduled(
            every = "${fleetprov.events.relay-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
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

    /**
     * Takes one batch of rows and sends it; returns how many rows it took, or -1 when the broker is unreachable.
     * Rows as FleetEvents wrote them (JSON envelopes) go out as {@link SignedBatch}es, one per topic (an event's
     * topic is its type, and a batch is published on its events' topic), in the order of the rows, under one
     * signature each: far fewer messages for the broker and signatures to verify for audit-service than one per event.
     * The rows keep their envelope: a batch is signed afresh at each send (a redelivery may group rows otherwise), and
     * the echo of any batch holding the envelope confirms the row ({@link EventConfirmations}). A row that an earlier
     * version signed alone (a compact JWS) is sent alone, as it is.
     */
    private int relayBatch() {
        Instant now = clock.instant();
        ClaimServiceConfig.Events settings = config.events();
        List<OutboxEntry> taken =
                outbox.take(now, now.minus(settings.redeliverAfter()), settings.maxAttempts(), settings.batchSize());
        List<Send> sends = new ArrayList<>();
        Map<String, List<OutboxEntry>> byTopic = new LinkedHashMap<>();
        for (OutboxEntry entry : taken) {
            if (entry.payload().startsWith("{")) {
                byTopic.computeIfAbsent(entry.topic(), t -> new ArrayList<>()).add(entry);
            } else if (fits(entry.payload().getBytes(StandardCharsets.US_ASCII).length, settings)) {
                sends.add(new Send(entry.topic(), entry.payload(), List.of(entry)));
            } else {
                tooLarge(entry);
            }
        }
        byTopic.forEach((topic, entries) -> sends.addAll(batches(topic, entries, settings)));
        for (int i = 0; i < sends.size(); i++) {
            Send send = sends.get(i);
            try {
                emitter.sendMessage(Message.of(send.message())
                                .addMetadata(
                                        new SendingMqttMessageMetadata(send.topic(), MqttQoS.AT_LEAST_ONCE, false)))
                        .await()
                        .atMost(SEND_TIMEOUT);
            } catch (RuntimeException e) {
                // Broker unreachable: this message and the rest are due again at the next run.
                lastFailure.set(e.getMessage());
                LOG.debugf("%d event(s) on %s not sent: %s", send.entries().size(), send.topic(), e.getMessage());
                sends.subList(i, sends.size())
                        .forEach(unsent -> unsent.entries().forEach(entry -> outbox.release(entry.id())));
                return -1;
            }
            lastSuccess.set(clock.instant());
        }
        return taken.size();
    }

    /**
     * The envelopes of one topic as signed batches, each within {@link SignedBatch#MAX_EVENTS} events and the
     * broker's message size; an envelope too large to be sent even alone is dead-lettered.
     */
    private List<Send> batches(String topic, List<OutboxEntry> entries, ClaimServiceConfig.Events settings) {
        List<Send> sends = new ArrayList<>();
        List<OutboxEntry> group = new ArrayList<>();
        int bytes = 0;
        for (OutboxEntry entry : entries) {
            int size = entry.payload().getBytes(StandardCharsets.UTF_8).length + 1;
            if (!fits(encodedSize(size), settings)) {
                tooLarge(entry);
                continue;
            }
            if (!group.isEmpty()
                    && (group.size() == SignedBatch.MAX_EVENTS || !fits(encodedSize(bytes + size), settings))) {
                sends.add(sign(topic, group));
                group = new ArrayList<>();
                bytes = 0;
            }
            group.add(entry);
            bytes += size;
        }
        if (!group.isEmpty()) {
            sends.add(sign(topic, group));
        }
        return sends;
    }

    private Send sign(String topic, List<OutboxEntry> entries) {
        String message = signing.signer()
                .signBatch(entries.stream()
                        .map(e -> e.payload().getBytes(StandardCharsets.UTF_8))
                        .toList());
        return new Send(topic, message, entries);
    }

    /** A compact JWS of this many payload bytes: base64url payload, plus a header and a signature well below 300. */
    private static int encodedSize(int payloadBytes) {
        return (payloadBytes * 4 + 2) / 3 + 300;
    }

    private static boolean fits(int messageBytes, ClaimServiceConfig.Events settings) {
        return messageBytes <= settings.maxPayloadBytes();
    }

    private void tooLarge(OutboxEntry entry) {
        outbox.deadLetter(entry.id(), TOO_LARGE, clock.instant());
        deadLettered(entry, TOO_LARGE);
    }

    /** One MQTT message: a signed batch, or a single event signed before, and the rows it carries. */
    private record Send(String topic, String message, List<OutboxEntry> entries) {}

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
