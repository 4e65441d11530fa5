package io.fleetprov.emulator.registry;

import java.util.List;
import java.util.Map;

/** A registry thing. {@code version} starts at 1 and grows with every update, as on AWS. */
public record Thing(
        String thingName,
        String thingId,
        String thingArn,
        String thingTypeName,
        Map<String, String> attributes,
        long version,
        String billingGroupName,
        List<String> thingGroups) {

    public Thing {
        attributes = Map.copyOf(attributes);
        thingGroups = List.copyOf(thingGroups);
    }
}
