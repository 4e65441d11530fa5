package io.fleetprov.emulator.cognito;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CodeDeliveryDetailsType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CodeMismatchException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.DeliveryMediumType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ExpiredCodeException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidParameterException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidPasswordException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.LimitExceededException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.NotAuthorizedException;

/**
 * ForgotPassword and ConfirmForgotPassword through the AWS SDK for Java v2; the code is read from the emulator's log,
 * where a developer finds it instead of in the mail.
 */
class CognitoForgotPasswordIT {

    private static final Pattern CODE = Pattern.compile("ForgotPassword code for user (\\S+) .*: (\\d{6})$");

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
    private final Clock clock = ((InstantSource) now::get).withZone(ZoneOffset.UTC);
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Logger log = Logger.getLogger(PasswordReset.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            // slf4j-jdk14 hands the message over already formatted.
            logged.add(record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private CognitoTestServer server;
    private CognitoIdentityProviderClient cognito;
    private String poolId;
    private String clientId;

    @BeforeEach
    void start() throws Exception {
        log.addHandler(capture);
        server = new CognitoTestServer(null, clock);
        cognito = server.sdk();
        poolId =
                cognito.createUserPool(r -> r.poolName("installers")).userPool().id();
        clientId = cognito.createUserPoolClient(r -> r.userPoolId(poolId).clientName("app"))
                .userPoolClient()
                .clientId();
        createUser("alice", "Correct-horse-1", "email", "alice@example.com");
    }

    @AfterEach
    void stop() {
        log.removeHandler(capture);
        server.close();
    }

    @Test
    void codeFromTheLogSetsANewPassword() {
        CodeDeliveryDetailsType delivery = cognito.forgotPassword(
                        r -> r.clientId(clientId).username("alice"))
                .codeDeliveryDetails();
        assertThat(delivery.deliveryMedium()).isEqualTo(DeliveryMediumType.EMAIL);
        assertThat(delivery.attributeName()).isEqualTo("email");
        assertThat(delivery.destination()).isEqualTo("a***@e***.com");

        confirm("alice", codeFor("alice"), "Brand-new-pass-1");

        assertThat(signIn("alice", "Brand-new-pass-1")).isTrue();
        assertThat(signIn("alice", "Correct-horse-1")).isFalse();
        assertThat(logged).noneMatch(line -> line.contains("Brand-new-pass-1") || line.contains("Correct-horse-1"));
    }

    @Test
    void wrongCodesAreCountedAndTheFifthEndsTheCodeWhileThePasswordStays() {
        cognito.forgotPassword(r -> r.clientId(clientId).username("alice"));
        String code = codeFor("alice");
        String wrong = code.equals("000000") ? "111111" : "000000";
        for (int i = 1; i < PasswordReset.MAX_ATTEMPTS; i++) {
            assertThatThrownBy(() -> confirm("alice", wrong, "Attackers-pass-1"))
                    .isInstanceOf(CodeMismatchException.class);
        }
        assertThatThrownBy(() -> confirm("alice", wrong, "Attackers-pass-1"))
                .isInstanceOf(LimitExceededException.class);
        // The right code no longer works either; the old password still does.
        assertThatThrownBy(() -> confirm("alice", code, "Attackers-pass-1")).isInstanceOf(ExpiredCodeException.class);
        assertThat(signIn("alice", "Correct-horse-1")).isTrue();
    }

    @Test
    void codesExpireAreUsedOnceAndAreReplacedByTheNextRequest() {
        cognito.forgotPassword(r -> r.clientId(clientId).username("alice"));
        String first = codeFor("alice");
        cognito.forgotPassword(r -> r.clientId(clientId).username("alice"));
        String second = codeFor("alice");
        if (!first.equals(second)) {
            assertThatThrownBy(() -> confirm("alice", first, "Brand-new-pass-1"))
                    .isInstanceOf(CodeMismatchException.class);
        }
        confirm("alice", second, "Brand-new-pass-1");
        assertThatThrownBy(() -> confirm("alice", second, "Another-pass-1")).isInstanceOf(ExpiredCodeException.class);

        cognito.forgotPassword(r -> r.clientId(clientId).username("alice"));
        String late = codeFor("alice");
        now.set(now.get().plus(PasswordReset.CODE_VALIDITY).plus(Duration.ofSeconds(1)));
        assertThatThrownBy(() -> confirm("alice", late, "Another-pass-1")).isInstanceOf(ExpiredCodeException.class);
        assertThat(signIn("alice", "Brand-new-pass-1")).isTrue();
    }

    @Test
    void aPasswordThePolicyRefusesDoesNotUseUpTheCode() {
        cognito.forgotPassword(r -> r.clientId(clientId).username("alice"));
        String code = codeFor("alice");
        assertThatThrownBy(() -> confirm("alice", code, "short")).isInstanceOf(InvalidPasswordException.class);
        confirm("alice", code, "Brand-new-pass-1");
        assertThat(signIn("alice", "Brand-new-pass-1")).isTrue();
    }

    @Test
    void usersWithoutAnAddressOrWithATemporaryPasswordCannotReset() {
        createUser("bob", "Bobs-pass-1", "name", "Bob");
        assertThatThrownBy(
                        () -> cognito.forgotPassword(r -> r.clientId(clientId).username("bob")))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("no registered/verified email or phone_number");
        cognito.adminCreateUser(r -> r.userPoolId(poolId).username("carol").temporaryPassword("Temp-pass-1"));
        assertThatThrownBy(
                        () -> cognito.forgotPassword(r -> r.clientId(clientId).username("carol")))
                .isInstanceOf(NotAuthorizedException.class)
                .hasMessageStartingWith("User password cannot be reset in the current state.");
        createUser("dave", "Daves-pass-1", "phone_number", "+15551234567");
        assertThat(cognito.forgotPassword(r -> r.clientId(clientId).username("dave"))
                        .codeDeliveryDetails()
                        .destination())
                .isEqualTo("+*******4567");
    }

    @Test
    void unknownUsersLookLikeAnyOtherAndGetNoCode() {
        CodeDeliveryDetailsType delivery = cognito.forgotPassword(
                        r -> r.clientId(clientId).username("nobody"))
                .codeDeliveryDetails();
        assertThat(delivery.deliveryMedium()).isEqualTo(DeliveryMediumType.EMAIL);
        assertThat(logged).noneMatch(line -> CODE.matcher(line).find());
        assertThatThrownBy(() -> confirm("nobody", "123456", "Brand-new-pass-1"))
                .isInstanceOf(ExpiredCodeException.class);
    }

    @Test
    void clientsWithASecretNeedTheSecretHash() {
        var confidential = cognito.createUserPoolClient(
                        r -> r.userPoolId(poolId).clientName("backend").generateSecret(true))
                .userPoolClient();
        assertThatThrownBy(() -> cognito.forgotPassword(
                        r -> r.clientId(confidential.clientId()).username("alice")))
                .isInstanceOf(NotAuthorizedException.class)
                .hasMessageContaining("SECRET_HASH was not received");
        String hash = SecretHash.of(confidential.clientSecret(), "alice", confidential.clientId());
        cognito.forgotPassword(
                r -> r.clientId(confidential.clientId()).username("alice").secretHash(hash));
        String code = codeFor("alice");
        assertThatThrownBy(() -> cognito.confirmForgotPassword(r -> r.clientId(confidential.clientId())
                        .username("alice")
                        .confirmationCode(code)
                        .password("Brand-new-pass-1")))
                .isInstanceOf(NotAuthorizedException.class);
        cognito.confirmForgotPassword(r -> r.clientId(confidential.clientId())
                .username("alice")
                .confirmationCode(code)
                .password("Brand-new-pass-1")
                .secretHash(hash));
        assertThat(signIn("alice", "Brand-new-pass-1")).isTrue();
    }

    private void createUser(String username, String password, String attribute, String value) {
        cognito.adminCreateUser(r -> r.userPoolId(poolId)
                .username(username)
                .temporaryPassword("Temp-pass-1")
                .userAttributes(
                        AttributeType.builder().name(attribute).value(value).build()));
        cognito.adminSetUserPassword(
                r -> r.userPoolId(poolId).username(username).password(password).permanent(true));
    }

    private void confirm(String username, String code, String password) {
        cognito.confirmForgotPassword(r ->
                r.clientId(clientId).username(username).confirmationCode(code).password(password));
    }

    private boolean signIn(String username, String password) {
        try {
            return cognito.initiateAuth(r -> r.clientId(clientId)
                                    .authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                                    .authParameters(Map.of("USERNAME", username, "PASSWORD", password)))
                            .authenticationResult()
                    != null;
        } catch (NotAuthorizedException e) {
            return false;
        }
    }

    /** The last code the log shows for the user. */
    private String codeFor(String username) {
        String code = null;
        for (String line : logged) {
            Matcher m = CODE.matcher(line);
            if (m.find() && m.group(1).equals(username)) {
                code = m.group(2);
            }
        }
        assertThat(code).as("a code for %s in the log", username).isNotNull();
        return code;
    }
}
