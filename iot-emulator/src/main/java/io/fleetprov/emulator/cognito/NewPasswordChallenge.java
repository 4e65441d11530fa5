package io.fleetprov.emulator.cognito;

import static io.fleetprov.emulator.cognito.Validation.required;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code NEW_PASSWORD_REQUIRED}: a user signing in with a temporary password must choose a new one, answered with
 * {@code USERNAME} and {@code NEW_PASSWORD}.
 */
final class NewPasswordChallenge implements AuthChallenge {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final UserDirectory users;
    private final ChallengeSessions sessions;
    private final TokenService tokens;

    NewPasswordChallenge(UserDirectory users, ChallengeSessions sessions, TokenService tokens) {
        this.users = users;
        this.sessions = sessions;
        this.tokens = tokens;
    }

    @Override
    public String name() {
        return AuthResult.NEW_PASSWORD_REQUIRED;
    }

    /** The challenge as InitiateAuth answers it. */
    AuthResult issue(AppClient client, UserDirectory.StoredUser user) {
        String session = sessions.open(client, user.username());
        Map<String, String> visible = new LinkedHashMap<>(user.attributes());
        visible.remove("sub");
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("USER_ID_FOR_SRP", user.username());
        parameters.put("requiredAttributes", "[]");
        parameters.put("userAttributes", toJson(visible));
        return AuthResult.challenge(AuthResult.NEW_PASSWORD_REQUIRED, session, parameters);
    }

    @Override
    public AuthResult respond(AppClient client, String session, Map<String, String> responses) {
        String username = required(responses, "USERNAME");
        String newPassword = required(responses, "NEW_PASSWORD");
        SecretHash.check(client, username, responses);
        sessions.take(session, client, username);
        users.changePassword(client.userPoolId(), username, newPassword.toCharArray(), UserStatus.CONFIRMED);
        return tokens.signIn(client, username);
    }

    private static String toJson(Map<String, String> map) {
        try {
            return JSON.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
