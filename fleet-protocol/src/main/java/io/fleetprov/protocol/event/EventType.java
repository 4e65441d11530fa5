package io.fleetprov.protocol.event;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Optional;

/**
 * The types of fleetprov's own events; {@link #wire()} is the envelope's {@code type} and the last level of the
 * topic {@code fleetprov/events/{type}}.
 */
public enum EventType {
    CLAIM_ISSUED("ClaimIssued"),
    CLAIM_REFUSED("ClaimRefused"),
    HOOK_DECISION("HookDecision"),
    CLAIM_EXPIRED_UNUSED("ClaimExpiredUnused"),
    /** A replacement device registered under a thing: the old device's certificate was set INACTIVE and detached. */
    DEVICE_REPLACED("DeviceReplaced");

    private final String wire;

    EventType(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    public static Optional<EventType> fromWire(String wire) {
        for (EventType type : values()) {
            if (type.wire.equals(wire)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return wire;
    }
}
