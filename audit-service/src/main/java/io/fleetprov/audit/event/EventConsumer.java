package io.fleetprov.audit.event;

import io.fleetprov.audit.service.IngestWriter;
import io.fleetprov.audit.service.ReceivedMessage;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.mqtt.ReceivingMqttMessageMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Receives the three audited topic filters (one MQTT session: the channels share client id and connection) and
 * hands each message to the {@link IngestWriter}. The PUBACK is sent by the writer after the commit — the client
 * is configured not to acknowledge on receipt ({@link ManualAckCustomizer}).
 */
@ApplicationScoped
public class EventConsumer {

    private final IngestWriter writer;

    public EventConsumer(IngestWriter writer) {
        this.writer = writer;
    }

    @Incoming("fleetprov-events")
    @Blocking
    public CompletionStage<Void> fleetprovEvent(Message<byte[]> message) throws InterruptedException {
        return handOver(message);
    }

    @Incoming("thing-events")
    @Blocking
    public CompletionStage<Void> thingEvent(Message<byte[]> message) throws InterruptedException {
        return handOver(message);
    }

    @Incoming("presence-events")
    @Blocking
    public CompletionStage<Void> presenceEvent(Message<byte[]> message) throws InterruptedException {
        return handOver(message);
    }

    private CompletionStage<Void> handOver(Message<byte[]> message) throws InterruptedException {
        ReceivingMqttMessageMetadata mqtt = message.getMetadata(ReceivingMqttMessageMetadata.class)
                .orElseThrow(() -> new IllegalStateException("not an MQTT message"));
        writer.submit(new ReceivedMessage(mqtt.getTopic(), message.getPayload(), Instant.now(), () -> {
            if (mqtt.getQosLevel().value() > 0) {
                mqtt.getMessage().ack();
            }
            message.ack();
        }));
        return CompletableFuture.completedFuture(null);
    }
}
