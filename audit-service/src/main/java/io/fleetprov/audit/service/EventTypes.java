package io.fleetprov.audit.service;

import io.fleetprov.protocol.event.EventType;
import io.fleetprov.protocol.event.Outcome;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The event types the log knows. fleetprov's own keep their envelope type; AWS's are named after their topic
 * ({@code $aws/events/thing/x/created} is {@code ThingCreated}, {@code $aws/events/presence/connected/x} is
 * {@code PresenceConnected}).
 */
public final class EventTypes {

    public static final String CLAIM_ISSUED = EventType.CLAIM_ISSUED.wire();
    public static final String CLAIM_REFUSED = EventType.CLAIM_REFUSED.wire();
    public static final String HOOK_DECISION = EventType.HOOK_DECISION.wire();
    public static final String CLAIM_EXPIRED_UNUSED = EventType.CLAIM_EXPIRED_UNUSED.wire();
    public static final String DEVICE_REPLACED = EventType.DEVICE_REPLACED.wire();
    public static final String THING_CREATED = "ThingCreated";
    public static final String THING_UPDATED = "ThingUpdated";
    public static final String THING_DELETED = "ThingDeleted";
    public static final String PRESENCE_CONNECTED = "PresenceConnected";
    public static final String PRESENCE_DISCONNECTED = "PresenceDisconnected";

    public static final List<String> ALL = List.of(
            CLAIM_ISSUED,
            CLAIM_REFUSED,
            HOOK_DECISION,
            CLAIM_EXPIRED_UNUSED,
            DEVICE_REPLACED,
            THING_CREATED,
            THING_UPDATED,
            THING_DELETED,
            PRESENCE_CONNECTED,
            PRESENCE_DISCONNECTED);

    /** The source recorded for AWS IoT's own events. */
    public static final String AWS_IOT = "aws-iot";

    /**
     * A SQL condition true when {@code column} holds an outcome that reads as {@code outcome}: rows already stored
     * may carry any of its {@link Outcome#spellings()}, in any case.
     */
    public static String outcomeIs(String column, Outcome outcome) {
        return "lower(" + column + ") in ("
                + outcome.spellings().stream().map(s -> "'" + s + "'").collect(Collectors.joining(", ")) + ")";
    }

    private EventTypes() {}

    public static boolean isAllowed(String outcome) {
        return Outcome.ALLOW.matches(outcome);
    }
}
