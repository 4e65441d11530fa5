package io.fleetprov.emulator.cognito;

import static io.fleetprov.emulator.cognito.Validation.requireLength;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ForgotPassword and ConfirmForgotPassword. Where Cognito mails or texts the code, the emulator writes it to its log
 * (the code and whom it is for, nothing else). A code is valid for an hour, replaced by the next request, used once,
 * and dropped after {@link #MAX_ATTEMPTS} wrong guesses. Thread-safe.
 */
public final class PasswordReset {

    static final Duration CODE_VALIDITY = Duration.ofHours(1);
    static final int MAX_ATTEMPTS = ConfirmationCodes.MAX_ATTEMPTS;

    private static final Logger LOG = LoggerFactory.getLogger(PasswordReset.class);

    /** Where the code went, as Cognito's {@code CodeDeliveryDetails} describes it. */
    public record Delivery(String destination, String deliveryMedium, String attributeName) {}

    private final UserPools pools;
    private final UserDirectory users;
    private final ConfirmationCodes codes;

    PasswordReset(UserPools pools, UserDirectory users, Clock clock, SecureRandom random) {
        this.pools = pools;
        this.users = users;
        this.codes = new ConfirmationCodes(CODE_VALIDITY, clock, random);
    }

    public Delivery forgotPassword(String clientId, String username, String secretHash) {
        AppClient client = pools.client(clientId);
        requireLength("username", username, 1, 128);
        SecretHash.check(client, username, secretHash);
        Optional<UserDirectory.StoredUser> found = users.find(client.userPoolId(), username);
        if (found.isEmpty()) {
            // As Cognito with PreventUserExistenceErrors: the answer looks like a delivery, and nothing is sent.
            LOG.info("ForgotPassword for unknown user {} in pool {}: no code sent", username, client.userPoolId());
            return new Delivery(mask(username + "@example.com"), "EMAIL", "email");
        }
        UserDirectory.StoredUser user = found.get();
        if (user.status() != UserStatus.CONFIRMED) {
            throw CognitoException.notAuthorized("User password cannot be reset in the current state.");
        }
        Delivery delivery = deliveryTo(user.attributes());
        String code = codes.issue(client.userPoolId(), username);
        // The emulator's stand-in for the mail: the code only, never a password.
        LOG.info(
                "ForgotPassword code for user {} in pool {} (Cognito would send it by {} to {}): {}",
                username,
                client.userPoolId(),
                delivery.deliveryMedium(),
                delivery.destination(),
                code);
        return delivery;
    }

    public void confirmForgotPassword(
            String clientId, String username, String code, String password, String secretHash) {
        AppClient client = pools.client(clientId);
        requireLength("username", username, 1, 128);
        requireLength("confirmationCode", code, 1, 2048);
        requireLength("password", password, 1, UserDirectory.MAX_PASSWORD_LENGTH);
        SecretHash.check(client, username, secretHash);
        // The policy is checked first, so that a password it refuses does not use up the code.
        UserDirectory.checkPasswordPolicy(password.toCharArray());
        codes.consume(client.userPoolId(), username, code);
        users.changePassword(client.userPoolId(), username, password.toCharArray(), UserStatus.CONFIRMED);
    }

    static Delivery deliveryTo(Map<String, String> attributes) {
        String email = attributes.get("email");
        if (email != null && !email.isBlank()) {
            return new Delivery(mask(email), "EMAIL", "email");
        }
        String phone = attributes.get("phone_number");
        if (phone != null && phone.length() > 4) {
            return new Delivery(
                    "+" + "*".repeat(phone.length() - 5) + phone.substring(phone.length() - 4), "SMS", "phone_number");
        }
        throw CognitoException.invalidParameter(
                "Cannot reset password for the user as there is no registered/verified email or phone_number");
    }

    /** Cognito's masking: {@code a***@e***.com}. */
    static String mask(String email) {
        int at = email.indexOf('@');
        if (at <= 0 || at == email.length() - 1) {
            return email.charAt(0) + "***";
        }
        String domain = email.substring(at + 1);
        int dot = domain.lastIndexOf('.');
        String tld = dot > 0 ? domain.substring(dot) : "";
        return email.charAt(0) + "***@" + domain.charAt(0) + "***" + tld;
    }
}
