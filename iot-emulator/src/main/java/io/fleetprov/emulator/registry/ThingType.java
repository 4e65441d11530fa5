package io.fleetprov.emulator.registry;

import java.time.Instant;
import java.util.List;

/** A thing type: a name things may carry, which lifts their attribute limit from 3 to 50. */
public record ThingType(
        String thingTypeName,
        String thingTypeId,
        String thingTypeArn,
        String description,
        List<String> searchableAttributes,
        Instant creationDate) {

    public ThingType {
        searchableAttributes = searchableAttributes == null ? List.of() : List.copyOf(searchableAttributes);
    }
}
