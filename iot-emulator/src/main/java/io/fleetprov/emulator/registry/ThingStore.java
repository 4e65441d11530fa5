package io.fleetprov.emulator.registry;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * Registry things. Removal is left to {@link Registry}, which also detaches the thing's principals. Listeners are
 * told inside the registry's monitor, so they see changes in the order they happened. Locking: see
 * {@link Registry}.
 */
public final class ThingStore {

    private static final Pattern THING_NAME = Pattern.compile("[a-zA-Z0-9:_-]{1,128}");

    private final Object monitor;
    private final Arns arns;
    private final ThingTypeStore types;
    private final ThingGroupStore groups;
    private final List<RegistryListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, Thing> things = new HashMap<>();

    ThingStore(Object monitor, Arns arns, ThingTypeStore types, ThingGroupStore groups) {
        this.monitor = monitor;
        this.arns = arns;
        this.types = types;
        this.groups = groups;
    }

    public void addListener(RegistryListener listener) {
        listeners.add(listener);
    }

    /**
     * Creating a thing that exists with the same type and attributes answers the existing thing, as on AWS. The thing
     * type and groups must exist, and the attributes follow AWS's rules ({@link ThingAttributes}).
     */
    public Thing create(
            String thingName,
            String thingTypeName,
            Map<String, String> attributes,
            String billingGroupName,
            List<String> thingGroups) {
        requireThingName(thingName);
        Map<String, String> attrs = attributes == null ? Map.of() : attributes;
        synchronized (monitor) {
            validate(thingTypeName, attrs, thingGroups);
            Thing existing = things.get(thingName);
            if (existing != null) {
                if (Objects.equals(existing.thingTypeName(), thingTypeName)
                        && existing.attributes().equals(attrs)) {
                    return existing;
                }
                throw RegistryException.alreadyExists("Thing " + thingName + " already exists with different tags");
            }
            var thing = new Thing(
                    thingName,
                    UUID.randomUUID().toString(),
                    arns.thing(thingName),
                    thingTypeName,
                    attrs,
                    1,
                    billingGroupName,
                    thingGroups == null ? List.of() : thingGroups);
            things.put(thingName, thing);
            listeners.forEach(l -> l.thingCreated(thing));
            return thing;
        }
    }

    /** Replaces a thing's mutable fields and bumps its version; used by RegisterThing's override settings. */
    public Thing update(
            String thingName,
            String thingTypeName,
            Map<String, String> attributes,
            String billingGroupName,
            List<String> thingGroups) {
        synchronized (monitor) {
            Thing current = get(thingName);
            validate(thingTypeName, attributes, thingGroups);
            var updated = new Thing(
                    thingName,
                    current.thingId(),
                    current.thingArn(),
                    thingTypeName,
                    attributes,
                    current.version() + 1,
                    billingGroupName,
                    thingGroups);
            if (updated.equals(new Thing(
                    thingName,
                    current.thingId(),
                    current.thingArn(),
                    current.thingTypeName(),
                    current.attributes(),
                    updated.version(),
                    current.billingGroupName(),
                    current.thingGroups()))) {
                return current;
            }
            things.put(thingName, updated);
            listeners.forEach(l -> l.thingUpdated(updated));
            return updated;
        }
    }

    /**
     * UpdateThing: a new type or none ({@code removeThingType}), and attributes replaced, or merged when
     * {@code merge} is set, where an empty value removes the attribute. Null arguments leave the field as it is.
     */
    public Thing update(
            String thingName,
            String thingTypeName,
            boolean removeThingType,
            Map<String, String> attributes,
            boolean merge,
            Long expectedVersion) {
        if (thingTypeName != null && removeThingType) {
            throw RegistryException.invalid("Cannot set thingTypeName and removeThingType at the same time");
        }
        synchronized (monitor) {
            Thing current = get(thingName);
            if (expectedVersion != null && expectedVersion != current.version()) {
                throw new RegistryException(
                        ErrorType.VersionConflictException,
                        "Thing " + thingName + " is at version " + current.version() + ", not " + expectedVersion);
            }
            String type = removeThingType ? null : thingTypeName != null ? thingTypeName : current.thingTypeName();
            Map<String, String> attrs = new HashMap<>(merge || attributes == null ? current.attributes() : Map.of());
            if (attributes != null) {
                attributes.forEach((name, value) -> {
                    if (value == null || value.isEmpty()) {
                        attrs.remove(name);
                    } else {
                        attrs.put(name, value);
                    }
                });
            }
            return update(thingName, type, attrs, current.billingGroupName(), current.thingGroups());
        }
    }

    /** AddThingToThingGroup: membership is not a change of the thing's own record, so its version stays. */
    public void addToGroup(String thingName, String groupName) {
        synchronized (monitor) {
            Thing current = get(thingName);
            groups.get(groupName);
            if (current.thingGroups().contains(groupName)) {
                return;
            }
            List<String> memberOf = new java.util.ArrayList<>(current.thingGroups());
            memberOf.add(groupName);
            things.put(
                    thingName,
                    new Thing(
                            thingName,
                            current.thingId(),
                            current.thingArn(),
                            current.thingTypeName(),
                            current.attributes(),
                            current.version(),
                            current.billingGroupName(),
                            memberOf));
        }
    }

    public Optional<Thing> find(String thingName) {
        synchronized (monitor) {
            return Optional.ofNullable(things.get(thingName));
        }
    }

    public Thing get(String thingName) {
        return find(thingName).orElseThrow(() -> RegistryException.notFound("Thing " + thingName + " not found"));
    }

    /** Things sorted by name, filtered like ListThings. Null filters match everything. */
    public List<Thing> list(
            String attributeName, String attributeValue, String thingTypeName, boolean usePrefixAttributeValue) {
        synchronized (monitor) {
            return things.values().stream()
                    .filter(t -> thingTypeName == null || thingTypeName.equals(t.thingTypeName()))
                    .filter(t -> attributeName == null
                            || matchesAttribute(
                                    t.attributes().get(attributeName), attributeValue, usePrefixAttributeValue))
                    .sorted(Comparator.comparing(Thing::thingName))
                    .toList();
        }
    }

    /** DeleteThing's version check and removal in one step; empty if there was no such thing. */
    Optional<Thing> delete(String thingName, Long expectedVersion) {
        synchronized (monitor) {
            Thing thing = things.get(thingName);
            if (thing == null) {
                return Optional.empty();
            }
            if (expectedVersion != null && expectedVersion != thing.version()) {
                throw new RegistryException(
                        ErrorType.VersionConflictException,
                        "Thing " + thingName + " is at version " + thing.version() + ", not " + expectedVersion);
            }
            things.remove(thingName);
            return Optional.of(thing);
        }
    }

    /** Tells the listeners of a deletion once {@link Registry} has also removed what hung on the thing. */
    void deleted(Thing thing) {
        listeners.forEach(l -> l.thingDeleted(thing));
    }

    private static boolean matchesAttribute(String actual, String wanted, boolean prefix) {
        if (actual == null) {
            return false;
        }
        if (wanted == null) {
            return true;
        }
        return prefix ? actual.startsWith(wanted) : actual.equals(wanted);
    }

    private void validate(String thingTypeName, Map<String, String> attributes, List<String> thingGroups) {
        if (thingTypeName != null) {
            types.get(thingTypeName);
        }
        ThingAttributes.validate(attributes, thingTypeName != null);
        if (thingGroups != null) {
            thingGroups.forEach(groups::get);
        }
    }

    private static void requireThingName(String thingName) {
        if (thingName == null || !THING_NAME.matcher(thingName).matches()) {
            throw RegistryException.invalid("Invalid thing name: " + thingName);
        }
    }
}
