package io.fleetprov.emulator.registry;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which registry event types are published ({@code THING}, {@code THING_GROUP}, ...). All are off by default,
 * as on AWS.
 */
public record EventConfigurations(Map<String, Boolean> enabled, Instant creationDate, Instant lastModifiedDate) {

    /** AWS's EventType enum. */
    public static final java.util.List<String> EVENT_TYPES = java.util.List.of(
            "THING",
            "THING_GROUP",
            "THING_TYPE",
            "THING_GROUP_MEMBERSHIP",
            "THING_GROUP_HIERARCHY",
            "THING_TYPE_ASSOCIATION",
            "JOB",
            "JOB_EXECUTION",
            "POLICY",
            "CERTIFICATE",
            "CA_CERTIFICATE");

    public EventConfigurations {
        enabled = Map.copyOf(enabled);
    }

    static EventConfigurations allOff(Instant now) {
        Map<String, Boolean> off = new TreeMap<>();
        EVENT_TYPES.forEach(type -> off.put(type, false));
        return new EventConfigurations(off, now, now);
    }

    public boolean isEnabled(String eventType) {
        return enabled.getOrDefault(eventType, false);
    }
}
