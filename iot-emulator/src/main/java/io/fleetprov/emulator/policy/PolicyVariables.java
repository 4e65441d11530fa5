package io.fleetprov.emulator.policy;

/**
 * Resolves IoT policy variable names (the text between {@code ${} and {@code }}) and condition keys against a
 * connection. Key names are compared case-insensitively, as IAM does for context keys; attribute names inside
 * {@code Attributes[...]} are compared exactly, because thing attribute names are case-sensitive.
 */
final class PolicyVariables {

    private static final String ATTRIBUTES_PREFIX = "iot:Connection.Thing.Attributes[";

    private PolicyVariables() {}

    /** The value, or null when the connection does not provide one (AWS then treats the entry as not matching). */
    static String resolve(String name, ConnectionContext context) {
        if (name.equalsIgnoreCase("iot:ClientId")) {
            return context.clientId();
        }
        if (name.equalsIgnoreCase("iot:Connection.Thing.ThingName")) {
            return context.thingName();
        }
        if (name.equalsIgnoreCase("iot:Connection.Thing.ThingTypeName")) {
            return context.thingTypeName();
        }
        if (name.equalsIgnoreCase("iot:Connection.Thing.IsAttached")) {
            return Boolean.toString(context.thingName() != null);
        }
        if (isAttributeName(name)) {
            if (context.thingName() == null) {
                return null;
            }
            String attribute = name.substring(ATTRIBUTES_PREFIX.length(), name.length() - 1);
            return context.thingAttributes().get(attribute);
        }
        // Certificate subject/issuer variables and anything unknown: the emulator has no value for them.
        return null;
    }

    /** Whether the name is one this emulator can ever resolve; used to tell supported condition keys apart. */
    static boolean isSupported(String name) {
        return name.equalsIgnoreCase("iot:ClientId")
                || name.equalsIgnoreCase("iot:Connection.Thing.ThingName")
                || name.equalsIgnoreCase("iot:Connection.Thing.ThingTypeName")
                || name.equalsIgnoreCase("iot:Connection.Thing.IsAttached")
                || isAttributeName(name);
    }

    private static boolean isAttributeName(String name) {
        return name.length() > ATTRIBUTES_PREFIX.length() + 1
                && name.regionMatches(true, 0, ATTRIBUTES_PREFIX, 0, ATTRIBUTES_PREFIX.length())
                && name.endsWith("]");
    }
}
