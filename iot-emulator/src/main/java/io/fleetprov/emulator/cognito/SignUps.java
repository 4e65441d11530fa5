package io.fleetprov.emulator.cognito;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SignUp and ConfirmSignUp: a user registers with a password of their own and confirms with a code, which the
 * emulator writes to its log where Cognito would mail or text it. Thread-safe.
 */
public final class SignUps {

    /** Cognito's sign-up confirmation codes are valid for 24 hours. */
    static final Duration CODE_VALIDITY = Duration.ofHours(24);

    private static final Logger LOG = LoggerFactory.getLogger(SignUps.class);

    /** What SignUp answers; {@code delivery} is null when the user gave no email or phone number. */
    public record Registration(String userSub, PasswordReset.Delivery delivery) {}

    private final UserPools pools;
    private final UserDirectory users;
    private final ConfirmationCodes codes;

    SignUps(UserPools pools, UserDirectory users, Clock clock, SecureRandom random) {
        this.pools = pools;
        this.users = users;
        this.codes = new ConfirmationCodes(CODE_VALIDITY, clock, random);
    }

    public Registration signUp(
            String clientId, String username, String password, Map<String, String> attributes, String secretHash) {
        AppClient client = pools.client(clientId);
        SecretHash.check(client, username, secretHash);
        CognitoUser user = users.signUp(client.userPoolId(), username, password, attributes);
        PasswordReset.Delivery delivery =
                user.attributes().containsKey("email") || user.attributes().containsKey("phone_number")
                        ? PasswordReset.deliveryTo(user.attributes())
                        : null;
        String code = codes.issue(client.userPoolId(), username);
        // The emulator's stand-in for the mail: the code only, never the password.
        LOG.info(
                "SignUp confirmation code for user {} in pool {}{}: {}",
                username,
                client.userPoolId(),
                delivery == null
                        ? ""
                        : " (Cognito would send it by " + delivery.deliveryMedium() + " to " + delivery.destination()
                                + ")",
                code);
        return new Registration(user.sub(), delivery);
    }

    public void confirmSignUp(String clientId, String username, String code, String secretHash) {
        AppClient client = pools.client(clientId);
        Validation.requireLength("confirmationCode", code, 1, 2048);
        SecretHash.check(client, username, secretHash);
        users.adminGetUser(client.userPoolId(), username);
        codes.consume(client.userPoolId(), username, code);
        users.confirmSignUp(client.userPoolId(), username);
    }
}
