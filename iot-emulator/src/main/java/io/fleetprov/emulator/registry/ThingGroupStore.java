package io.fleetprov.emulator.registry;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** Static thing groups. Membership is kept on the things ({@link Thing#thingGroups()}). Locking: see {@link Registry}. */
public final class ThingGroupStore {

    private final Object monitor;
    private final Clock clock;
    private final Arns arns;
    private final Map<String, ThingGroup> groups = new HashMap<>();

    ThingGroupStore(Object monitor, Clock clock, Arns arns) {
        this.monitor = monitor;
        this.clock = clock;
        this.arns = arns;
    }

    /** The parent must exist; creating a group that exists with the same properties answers it, as AWS does. */
    public ThingGroup create(String name, String parentGroupName, String description, Map<String, String> attributes) {
        if (name == null || !ThingTypeStore.NAME.matcher(name).matches()) {
            throw RegistryException.invalid("Invalid thing group name: " + name);
        }
        Map<String, String> attrs = attributes == null ? Map.of() : attributes;
        ThingAttributes.validate(attrs, true);
        synchronized (monitor) {
            if (parentGroupName != null) {
                get(parentGroupName);
            }
            ThingGroup existing = groups.get(name);
            if (existing != null) {
                if (Objects.equals(existing.parentGroupName(), parentGroupName)
                        && Objects.equals(existing.description(), description)
                        && existing.attributes().equals(attrs)) {
                    return existing;
                }
                throw RegistryException.alreadyExists("Thing group " + name + " already exists");
            }
            var group = new ThingGroup(
                    name,
                    UUID.randomUUID().toString(),
                    arns.thingGroup(name),
                    parentGroupName,
                    description,
                    attrs,
                    clock.instant());
            groups.put(name, group);
            return group;
        }
    }

    public Optional<ThingGroup> find(String name) {
        synchronized (monitor) {
            return Optional.ofNullable(groups.get(name));
        }
    }

    public ThingGroup get(String name) {
        return find(name).orElseThrow(() -> RegistryException.notFound("Thing group " + name + " not found"));
    }
}
