package io.fleetprov.emulator.template;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The AWS::IoT::Thing of a template, evaluated.
 *
 * @param overrides only the properties the template's OverrideSettings name; the registry decides
 *     what an absent entry means
 */
public record ThingSpec(
        String thingName,
        Map<String, String> attributes,
        String thingTypeName,
        List<String> thingGroups,
        String billingGroup,
        Map<ThingProperty, OverrideAction> overrides) {

    public ThingSpec {
        Objects.requireNonNull(thingName, "thingName");
        attributes = attributes == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        thingGroups = thingGroups == null ? List.of() : List.copyOf(thingGroups);
        overrides = overrides == null || overrides.isEmpty()
                ? Map.of()
                : Collections.unmodifiableMap(new EnumMap<>(overrides));
    }
}
