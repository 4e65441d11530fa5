package io.fleetprov.emulator.registry;

import java.time.Instant;
import java.util.Map;

/** A static thing group; {@code parentGroupName} is null for a root group. */
public record ThingGroup(
        String thingGroupName,
        String thingGroupId,
        String thingGroupArn,
        String parentGroupName,
        String description,
        Map<String, String> attributes,
        Instant creationDate) {

    public ThingGroup {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }
}
