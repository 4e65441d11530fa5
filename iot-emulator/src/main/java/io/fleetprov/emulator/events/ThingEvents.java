package io.fleetprov.emulator.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetprov.emulator.registry.Arns;
import io.fleetprov.emulator.registry.EventConfigurationStore;
import io.fleetprov.emulator.registry.RegistryListener;
import io.fleetprov.emulator.registry.Thing;
import io.fleetprov.protocol.AwsEventTopics;
import java.time.Clock;
import java.util.UUID;

/**
 * Publishes AWS IoT thing registry events on {@code $aws/events/thing/{name}/created|updated|deleted} when the
 * THING event type is enabled (off by default, as on AWS). Payload fields as in the AWS developer guide.
 */
public final class ThingEvents implements RegistryListener {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final EventConfigurationStore eventConfigurations;
    private final Arns arns;
    private final EventSink sink;
    private final Clock clock;

    public ThingEvents(EventConfigurationStore eventConfigurations, Arns arns, EventSink sink, Clock clock) {
        this.eventConfigurations = eventConfigurations;
        this.arns = arns;
        this.sink = sink;
        this.clock = clock;
    }

    @Override
    public void thingCreated(Thing thing) {
        publish(thing, "CREATED");
    }

    @Override
    public void thingUpdated(Thing thing) {
        publish(thing, "UPDATED");
    }

    @Override
    public void thingDeleted(Thing thing) {
        publish(thing, "DELETED");
    }

    private void publish(Thing thing, String operation) {
        if (!eventConfigurations.current().isEnabled("THING")) {
            return;
        }
        ObjectNode event = JSON.createObjectNode();
        event.put("eventType", "THING_EVENT");
        event.put("eventId", UUID.randomUUID().toString());
        event.put("timestamp", clock.millis());
        event.put("operation", operation);
        event.put("accountId", arns.accountId());
        event.put("thingId", thing.thingId());
        event.put("thingName", thing.thingName());
        event.put("versionNumber", thing.version());
        event.put("thingTypeName", thing.thingTypeName());
        event.set("attributes", JSON.valueToTree(thing.attributes()));
        sink.publish(
                AwsEventTopics.thing(thing.thingName(), operation.toLowerCase()),
                event.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
