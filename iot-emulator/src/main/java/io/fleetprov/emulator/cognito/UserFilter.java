package io.fleetprov.emulator.cognito;

import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ListUsers' {@code Filter}, as Cognito documents it: {@code attribute = "value"} (exact) or
 * {@code attribute ^= "value"} (prefix), on the attributes Cognito allows; an empty filter matches everyone.
 */
final class UserFilter {

    private static final Set<String> SEARCHABLE = Set.of(
            "username",
            "email",
            "phone_number",
            "name",
            "given_name",
            "family_name",
            "preferred_username",
            "cognito:user_status",
            "status",
            "sub");
    private static final Pattern FILTER =
            Pattern.compile("\\s*([\\w:]+)\\s*(=|\\^=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*");

    private UserFilter() {}

    static Predicate<CognitoUser> parse(String filter) {
        if (filter == null || filter.isBlank()) {
            return user -> true;
        }
        Matcher m = FILTER.matcher(filter);
        if (!m.matches()) {
            throw CognitoException.invalidParameter("Invalid search filter: " + abbreviate(filter));
        }
        String attribute = m.group(1);
        boolean prefix = "^=".equals(m.group(2));
        String value = m.group(3).replaceAll("\\\\(.)", "$1");
        if (!SEARCHABLE.contains(attribute)) {
            throw CognitoException.invalidParameter("Invalid search attribute: " + abbreviate(attribute));
        }
        return user -> {
            String actual = valueOf(user, attribute);
            return actual != null && (prefix ? actual.startsWith(value) : actual.equals(value));
        };
    }

    private static String valueOf(CognitoUser user, String attribute) {
        return switch (attribute) {
            case "username" -> user.username();
            case "cognito:user_status" -> user.status().name();
            // Cognito names the account's enabled flag "status" in filters.
            case "status" -> user.enabled() ? "Enabled" : "Disabled";
            default -> user.attributes().get(attribute.toLowerCase(Locale.ROOT));
        };
    }

    /** Error messages echo at most a little of the request. */
    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }
}
