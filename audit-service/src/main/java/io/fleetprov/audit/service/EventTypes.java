package io.fleetprov.audit.service;

import io.fleetprov.protocol.event.FleetEvent;
import java.util.List;

/**
 * The event types the log knows. fleetprov's own keep their envelope type; AWS's are named after their topic
 * ({@code $aws/events/thing/x/created} is {@code ThingCreated}, {@code $aws/events/presence/connected/x} is
 * {@code PresenceConnected}).
 */
public final class EventTypes {

    public static final String CLAIM_ISSUED = FleetEvent.CLAIM_ISSUED;
    public static final String CLAIM_REFUSED = FleetEvent.CLAIM_REFUSED;
    public static final String HOOK_DECISION = FleetEvent.HOOK_DECISION;
    public static final String CLAIM_EXPIRED_UNUSED = FleetEvent.CLAIM_EXPIRED_UNUSED;
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
            THING_CREATED,
            THING_UPDATED,
            THING_DELETED,
            PRESENCE_CONNECTED,
            PRESENCE_DISCONNECTED);

    /** The source recorded for AWS IoT's own events. */
    public static final String AWS_IOT = "aws-iot";

    /** HookDecision outcomes, compared case-insensitively. */
    public static final List<String> ALLOWED = List.of("ALLOWED", "ALLOW");

    public static final List<String> DENIED = List.of("DENIED", "DENY");

    private EventTypes() {}

    public static boolean isAllowed(String outcome) {
        return outcome != null && ALLOWED.contains(outcome.toUpperCase(java.util.Locale.ROOT));
    }
}
