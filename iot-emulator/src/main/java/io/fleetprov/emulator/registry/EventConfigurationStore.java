package io.fleetprov.emulator.registry;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** Which registry event types are published. Locking: see {@link Registry}. */
public final class EventConfigurationStore {

    private final Object monitor;
    private final Clock clock;
    private EventConfigurations current;

    EventConfigurationStore(Object monitor, Clock clock) {
        this.monitor = monitor;
        this.clock = clock;
        this.current = EventConfigurations.allOff(clock.instant());
    }

    public EventConfigurations current() {
        synchronized (monitor) {
            return current;
        }
    }

    /** Sets the given event types on or off; others keep their setting. Unknown types are refused, as on AWS. */
    public EventConfigurations update(Map<String, Boolean> changes) {
        synchronized (monitor) {
            Map<String, Boolean> enabled = new HashMap<>(current.enabled());
            changes.forEach((type, on) -> {
                if (!EventConfigurations.EVENT_TYPES.contains(type)) {
                    throw RegistryException.invalid("Unknown event type: " + type);
                }
                enabled.put(type, Boolean.TRUE.equals(on));
            });
            current = new EventConfigurations(enabled, current.creationDate(), clock.instant());
            return current;
        }
    }
}
