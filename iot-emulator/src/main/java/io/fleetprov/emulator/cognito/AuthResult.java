package io.fleetprov.emulator.cognito;

import java.util.Map;

/**
 * The outcome of an authentication step: either tokens, or a challenge the caller must answer first —
 * exactly one of {@code tokens} and {@code challengeName} is non-null, as in Cognito's InitiateAuth.
 */
public record AuthResult(Tokens tokens, String challengeName, String session, Map<String, String> challengeParameters) {

    public static final String NEW_PASSWORD_REQUIRED = "NEW_PASSWORD_REQUIRED";

    /** {@code refreshToken} is null when the tokens came from a refresh, as Cognito does without rotation. */
    public record Tokens(String accessToken, String idToken, String refreshToken, int expiresIn, String tokenType) {}

    public AuthResult {
        challengeParameters = challengeParameters == null ? null : Map.copyOf(challengeParameters);
    }

    static AuthResult tokens(Tokens tokens) {
        return new AuthResult(tokens, null, null, null);
    }

    static AuthResult challenge(String challengeName, String session, Map<String, String> parameters) {
        return new AuthResult(null, challengeName, session, parameters);
    }

    public boolean isChallenge() {
        return challengeName != null;
    }
}
