package io.fleetprov.emulator.cognito;

import static io.fleetprov.emulator.cognito.Validation.required;

import java.util.Map;
import java.util.Set;

/**
 * {@code USER_PASSWORD_AUTH}, and AdminInitiateAuth's {@code ADMIN_USER_PASSWORD_AUTH} (legacy name
 * {@code ADMIN_NO_SRP_AUTH}): the password is sent as it is. A user still on a temporary password gets the
 * {@link NewPasswordChallenge} instead of tokens.
 */
final class UserPasswordAuthFlow implements AuthFlow {

    static final String INCORRECT_CREDENTIALS = "Incorrect username or password.";

    private final UserDirectory users;
    private final NewPasswordChallenge newPassword;
    private final Set<String> names;
    private final String clientPermission;

    private UserPasswordAuthFlow(
            UserDirectory users, NewPasswordChallenge newPassword, Set<String> names, String clientPermission) {
        this.users = users;
        this.newPassword = newPassword;
        this.names = names;
        this.clientPermission = clientPermission;
    }

    /** InitiateAuth's {@code USER_PASSWORD_AUTH}. */
    static UserPasswordAuthFlow user(UserDirectory users, NewPasswordChallenge newPassword) {
        return new UserPasswordAuthFlow(
                users, newPassword, Set.of("USER_PASSWORD_AUTH"), AppClient.ALLOW_USER_PASSWORD_AUTH);
    }

    /** AdminInitiateAuth's {@code ADMIN_USER_PASSWORD_AUTH} and its legacy alias. */
    static UserPasswordAuthFlow admin(UserDirectory users, NewPasswordChallenge newPassword) {
        return new UserPasswordAuthFlow(
                users,
                newPassword,
                Set.of("ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"),
                AppClient.ALLOW_ADMIN_USER_PASSWORD_AUTH);
    }

    @Override
    public Set<String> names() {
        return names;
    }

    @Override
    public String clientPermission() {
        return clientPermission;
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
