package io.fleetprov.emulator.cognito;

import java.util.Map;
import java.util.regex.Pattern;

/** Cognito's request validation errors, worded as the service words them. */
final class Validation {

    private Validation() {}

    static void requireLength(String member, String value, int min, int max) {
        if (value == null) {
            throw CognitoException.invalidParameter("1 validation error detected: Value null at '" + member
                    + "' failed to satisfy constraint: Member must not be null");
        }
        if (value.length() < min || value.length() > max) {
            throw CognitoException.invalidParameter("1 validation error detected: Value at '" + member
                    + "' failed to satisfy constraint: Member must have length between " + min + " and " + max);
        }
    }

    static void requireMatch(String member, String value, Pattern pattern, int min, int max) {
        requireLength(member, value, min, max);
        if (!pattern.matcher(value).matches()) {
            throw CognitoException.invalidParameter("1 validation error detected: Value at '" + member
                    + "' failed to satisfy constraint: Member must satisfy regular expression pattern: " + pattern);
        }
    }

    /** A required entry of AuthParameters or ChallengeResponses. */
    static String required(Map<String, String> params, String name) {
        String value = params.get(name);
        if (value == null) {
            throw CognitoException.invalidParameter("Missing required parameter " + name);
        }
        return value;
    }
}
