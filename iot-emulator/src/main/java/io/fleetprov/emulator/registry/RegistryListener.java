package io.fleetprov.emulator.registry;

/** Told about registry changes after they happen; used to publish AWS registry events. Must not block. */
public interface RegistryListener {

    default void thingCreated(Thing thing) {}

    default void thingUpdated(Thing thing) {}

    default void thingDeleted(Thing thing) {}
}
