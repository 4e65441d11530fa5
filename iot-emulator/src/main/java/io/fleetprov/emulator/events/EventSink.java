package io.fleetprov.emulator.events;

/** Where AWS-style events are published; the broker delivers them to every subscriber allowed to see them. */
@FunctionalInterface
public interface EventSink {

    void publish(String topic, byte[] payload);
}
