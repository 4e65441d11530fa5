package io.fleetprov.protocol;

/** AWS IoT registry and lifecycle event topics, and fleetprov's own event topics. */
public final class AwsEventTopics {

    /** Filter for every thing registry event. */
    public static final String THING_EVENTS_FILTER = "$aws/events/thing/+/+";
    /** Filter for every presence (connect/disconnect) lifecycle event. */
    public static final String PRESENCE_EVENTS_FILTER = "$aws/events/presence/+/+";
    /** Filter for every fleetprov service event. */
    public static final String FLEETPROV_EVENTS_FILTER = "fleetprov/events/#";

    private AwsEventTopics() {}

    /** {@code operation} is {@code created}, {@code updated} or {@code deleted}. */
    public static String thing(String thingName, String operation) {
        return "$aws/events/thing/" + thingName + "/" + operation;
    }

    /** {@code eventType} is {@code connected} or {@code disconnected}. */
    public static String presence(String eventType, String clientId) {
        return "$aws/events/presence/" + eventType + "/" + clientId;
    }

    public static String fleetprov(String eventType) {
        return "fleetprov/events/" + eventType;
    }
}
