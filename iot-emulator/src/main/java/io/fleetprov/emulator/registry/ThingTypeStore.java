package io.fleetprov.emulator.registry;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Thing types. Locking: see {@link Registry}. */
public final class ThingTypeStore {

    static final Pattern NAME = Pattern.compile("[a-zA-Z0-9:_-]{1,128}");
    /** AWS: at most three searchable attributes per thing type. */
    static final int MAX_SEARCHABLE_ATTRIBUTES = 3;

    private final Object monitor;
    private final Clock clock;
    private final Arns arns;
    private final Map<String, ThingType> types = new HashMap<>();

    ThingTypeStore(Object monitor, Clock clock, Arns arns) {
        this.monitor = monitor;
        this.clock = clock;
        this.arns = arns;
    }

    /** Creating a type that exists with the same properties answers the existing type, as CreateThing does. */
    public ThingType create(String name, String description, List<String> searchableAttributes) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw RegistryException.invalid("Invalid thing type name: " + name);
        }
        List<String> searchable = searchableAttributes == null ? List.of() : searchableAttributes;
        if (searchable.size() > MAX_SEARCHABLE_ATTRIBUTES) {
            throw RegistryException.invalid(
                    "A thing type may have at most " + MAX_SEARCHABLE_ATTRIBUTES + " searchable attributes");
        }
        searchable.forEach(ThingAttributes::requireName);
        synchronized (monitor) {
            ThingType existing = types.get(name);
            if (existing != null) {
                if (java.util.Objects.equals(existing.description(), description)
                        && existing.searchableAttributes().equals(searchable)) {
                    return existing;
                }
                throw RegistryException.alreadyExists("Thing type " + name + " already exists");
            }
            var type = new ThingType(
                    name, UUID.randomUUID().toString(), arns.thingType(name), description, searchable, clock.instant());
            types.put(name, type);
            return type;
        }
    }

    public Optional<ThingType> find(String name) {
        synchronized (monitor) {
            return Optional.ofNullable(types.get(name));
        }
    }

    public ThingType get(String name) {
        return find(name).orElseThrow(() -> RegistryException.notFound("Thing type " + name + " not found"));
    }
}
