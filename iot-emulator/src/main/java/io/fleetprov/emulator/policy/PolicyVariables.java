package io.fleetprov.emulator.policy;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Resolves IoT policy variable names (the text between {@code ${} and {@code }}) and condition keys against a
 * connection. Key names are compared case-insensitively, as IAM does for context keys; attribute names inside
 * {@code Attributes[...]} are compared exactly, because thing attribute names are case-sensitive.
 *
 * <p>Keys: {@code iot:ClientId}, {@code iot:Connection.Thing.ThingName}, {@code iot:Connection.Thing.ThingTypeName},
 * {@code iot:Connection.Thing.IsAttached}, {@code iot:Connection.Thing.Attributes[name]},
 * {@code iot:Certificate.Subject.<Field>} and {@code iot:Certificate.Issuer.<Field>} (with a {@code .List} form
 * holding every value of a field that repeats), and {@code aws:SourceIp}.
 */
final class PolicyVariables {

    private static final String ATTRIBUTES_PREFIX = "iot:Connection.Thing.Attributes[";
    private static final String SUBJECT_PREFIX = "iot:Certificate.Subject.";
    private static final String ISSUER_PREFIX = "iot:Certificate.Issuer.";
    private static final String LIST_SUFFIX = ".List";
    private static final List<String> CERTIFICATE_FIELDS = List.of(
            "Country",
            "Organization",
            "OrganizationalUnit",
            "DistinguishedNameQualifier",
            "State",
            "CommonName",
            "SerialNumber",
            "Locality",
            "Title",
            "Surname",
            "GivenName",
            "Initials",
            "Pseudonym",
            "GenerationQualifier");

    private PolicyVariables() {}

    /**
     * The value, or null when the connection does not provide one (AWS then treats the entry as not matching). A
     * certificate field that repeats resolves to its first value; the {@code .List} key has them all.
     */
    static String resolve(String name, ConnectionContext context) {
        List<String> values = values(name, context);
        return values.isEmpty() ? null : values.get(0);
    }

    /** Every value of a key for this connection; empty when the key is absent from the request context. */
    static List<String> values(String name, ConnectionContext context) {
        if (name.equalsIgnoreCase("iot:ClientId")) {
            return List.of(context.clientId());
        }
        if (name.equalsIgnoreCase("iot:Connection.Thing.ThingName")) {
            return single(context.thingName());
        }
        if (name.equalsIgnoreCase("iot:Connection.Thing.ThingTypeName")) {
            return single(context.thingTypeName());
        }
        if (name.equalsIgnoreCase("iot:Connection.Thing.IsAttached")) {
            return List.of(Boolean.toString(context.thingName() != null));
        }
        if (name.equalsIgnoreCase("aws:SourceIp")) {
            return single(context.sourceIp());
        }
        if (isAttributeName(name)) {
            if (context.thingName() == null) {
                return List.of();
            }
            String attribute = name.substring(ATTRIBUTES_PREFIX.length(), name.length() - 1);
            return single(context.thingAttributes().get(attribute));
        }
        if (startsWith(name, SUBJECT_PREFIX)) {
            return certificateField(name.substring(SUBJECT_PREFIX.length()), context.certificateSubject());
        }
        if (startsWith(name, ISSUER_PREFIX)) {
            return certificateField(name.substring(ISSUER_PREFIX.length()), context.certificateIssuer());
        }
        return List.of();
    }

    /** Whether the name is one this emulator can ever resolve; used to tell supported condition keys apart. */
    static boolean isSupported(String name) {
        return name.equalsIgnoreCase("iot:ClientId")
                || name.equalsIgnoreCase("iot:Connection.Thing.ThingName")
                || name.equalsIgnoreCase("iot:Connection.Thing.ThingTypeName")
                || name.equalsIgnoreCase("iot:Connection.Thing.IsAttached")
                || name.equalsIgnoreCase("aws:SourceIp")
                || isAttributeName(name)
                || (startsWith(name, SUBJECT_PREFIX) && fieldName(name.substring(SUBJECT_PREFIX.length())) != null)
                || (startsWith(name, ISSUER_PREFIX) && fieldName(name.substring(ISSUER_PREFIX.length())) != null);
    }

    private static List<String> certificateField(String field, Map<String, List<String>> fields) {
        boolean list =
                field.regionMatches(true, field.length() - LIST_SUFFIX.length(), LIST_SUFFIX, 0, LIST_SUFFIX.length());
        String canonical = fieldName(field);
        if (canonical == null) {
            return List.of();
        }
        List<String> values = fields.getOrDefault(canonical, List.of());
        return list || values.isEmpty() ? values : List.of(values.get(0));
    }

    /** AWS's spelling of a certificate field (with or without {@code .List}), or null if there is no such field. */
    private static String fieldName(String field) {
        String bare = field.toLowerCase(Locale.ROOT).endsWith(LIST_SUFFIX.toLowerCase(Locale.ROOT))
                ? field.substring(0, field.length() - LIST_SUFFIX.length())
                : field;
        return CERTIFICATE_FIELDS.stream()
                .filter(bare::equalsIgnoreCase)
                .findFirst()
                .orElse(null);
    }

    private static List<String> single(String value) {
        return value == null ? List.of() : List.of(value);
    }

    private static boolean startsWith(String name, String prefix) {
        return name.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    private static boolean isAttributeName(String name) {
        return name.length() > ATTRIBUTES_PREFIX.length() + 1
                && startsWith(name, ATTRIBUTES_PREFIX)
                && name.endsWith("]");
    }
}
