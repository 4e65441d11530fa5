package io.fleetprov.emulator.cognito;

import static io.fleetprov.emulator.cognito.Validation.required;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code NEW_PASSWORD_REQUIRED}: a user signing in with a temporary password must choose a new one, answered with
 * {@code USERNAME} and {@code NEW_PASSWORD}.
 */
final class NewPasswordChallenge implements AuthChallenge {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Cognito's default {@code TemporaryPasswordValidityDays}. */
    static final Duration TEMPORARY_PASSWORD_VALIDITY = Duration.ofDays(7);

    private final UserDirectory users;
    private final ChallengeSessions sessions;
    private final TokenService tokens;
    private final Clock clock;

    NewPasswordChallenge(UserDirectory users, ChallengeSessions sessions, TokenService tokens, Clock clock) {
        this.users = users;
        this.sessions = sessions;
        this.tokens = tokens;
        this.clock = clock;
    }

    @Override
    public String name() {
        return AuthResult.NEW_PASSWORD_REQUIRED;
    }

    /**
     * What a user who proved their password gets, whichever flow they proved it in: tokens, or this challenge while
     * they are on a temporary password, which expires after {@link #TEMPORARY_PASSWORD_VALIDITY}.
     */
    AuthResult signInOrChallenge(AppClient client, UserDirectory.StoredUser user) {
        if (user.status() == UserStatus.UNCONFIRMED) {
            throw new CognitoException("UserNotConfirmedException", 400, "User is not confirmed.");
        }
        if (user.status() == UserStatus.FORCE_CHANGE_PASSWORD) {
            if (!clock.instant().isBefore(user.passwordSetAt().plus(TEMPORARY_PASSWORD_VALIDITY))) {
                throw CognitoException.notAuthorized(
                        "Temporary password has expired and must be reset by an administrator.");
            }
            return issue(client, user);
        }
        return tokens.signIn(client, user.username());
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
