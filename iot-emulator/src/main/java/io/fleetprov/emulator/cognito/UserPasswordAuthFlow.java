package io.fleetprov.emulator.cognito;

import static io.fleetprov.emulator.cognito.Validation.required;

import java.util.Map;
import java.util.Set;

/**
 * {@code USER_PASSWORD_AUTH}: the password is sent as it is. A user still on a temporary password gets the
 * {@link NewPasswordChallenge} instead of tokens.
 */
final class UserPasswordAuthFlow implements AuthFlow {

    static final String INCORRECT_CREDENTIALS = "Incorrect username or password.";

    private final UserDirectory users;
    private final NewPasswordChallenge newPassword;

    UserPasswordAuthFlow(UserDirectory users, NewPasswordChallenge newPassword) {
        this.users = users;
        this.newPassword = newPassword;
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
        return newPassword.signInOrChallenge(client, user);
    }
}
