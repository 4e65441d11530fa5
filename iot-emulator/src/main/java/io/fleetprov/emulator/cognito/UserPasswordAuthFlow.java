package io.fleetprov.emulator.cognito;

import static io.fleetprov.emulator.cognito.Validation.required;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * {@code USER_PASSWORD_AUTH}: the password is sent as it is. A user still on a temporary password gets the
 * {@link NewPasswordChallenge} instead of tokens.
 */
final class UserPasswordAuthFlow implements AuthFlow {

    /** Cognito's default {@code TemporaryPasswordValidityDays}. */
    static final Duration TEMPORARY_PASSWORD_VALIDITY = Duration.ofDays(7);

    private static final String INCORRECT_CREDENTIALS = "Incorrect username or password.";

    private final UserDirectory users;
    private final NewPasswordChallenge newPassword;
    private final TokenService tokens;
    private final Clock clock;

    UserPasswordAuthFlow(UserDirectory users, NewPasswordChallenge newPassword, TokenService tokens, Clock clock) {
        this.users = users;
        this.newPassword = newPassword;
        this.tokens = tokens;
        this.clock = clock;
    }

    @Override
    public Set<String> names() {
        return Set.of("USER_PASSWORD_AUTH");
    }

    @Override
    public String clientPermission() {
        return AppClient.ALLOW_USER_PASSWORD_AUTH;
    }

    @Override
    public AuthResult initiate(AppClient client, Map<String, String> parameters) {
        String username = required(parameters, "USERNAME");
        SecretHash.check(client, username, parameters);
        char[] password = required(parameters, "PASSWORD").toCharArray();
        UserDirectory.StoredUser user = users.verifyPassword(client.userPoolId(), username, password)
                .orElseThrow(() -> CognitoException.notAuthorized(INCORRECT_CREDENTIALS));
        if (user.status() == UserStatus.FORCE_CHANGE_PASSWORD) {
            if (!clock.instant().isBefore(user.passwordSetAt().plus(TEMPORARY_PASSWORD_VALIDITY))) {
                throw CognitoException.notAuthorized(
                        "Temporary password has expired and must be reset by an administrator.");
            }
            return newPassword.issue(client, user);
        }
        return tokens.signIn(client, username);
    }
}
