package io.fleetprov.emulator.cognito;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
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
import software.amazon.awssdk.services.cognitoidentityprovider.model.ChallengeNameType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CodeMismatchException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.DeliveryMediumType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InitiateAuthResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.NotAuthorizedException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.SignUpResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotConfirmedException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserStatusType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UsernameExistsException;

/** SignUp, ConfirmSignUp and AdminConfirmSignUp through the AWS SDK for Java v2; codes come from the log. */
class CognitoSignUpIT {

    private static final Pattern CODE = Pattern.compile("SignUp confirmation code for user (\\S+) .*: (\\d{6})$");

    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Logger log = Logger.getLogger(SignUps.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
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
        server = new CognitoTestServer();
        cognito = server.sdk();
        poolId =
                cognito.createUserPool(r -> r.poolName("installers")).userPool().id();
        clientId = cognito.createUserPoolClient(r -> r.userPoolId(poolId).clientName("app"))
                .userPoolClient()
                .clientId();
    }

    @AfterEach
    void stop() {
        log.removeHandler(capture);
        server.close();
    }

    @Test
    void signedUpUserConfirmsWithTheCodeAndSignsInWithSrp() {
        SignUpResponse signedUp = signUp("erin", "Erins-pass-1");
        assertThat(signedUp.userConfirmed()).isFalse();
        assertThat(signedUp.userSub()).isNotBlank();
        assertThat(signedUp.codeDeliveryDetails().deliveryMedium()).isEqualTo(DeliveryMediumType.EMAIL);
        assertThat(status("erin")).isEqualTo(UserStatusType.UNCONFIRMED);
        assertThatThrownBy(() -> passwordAuth("erin", "Erins-pass-1")).isInstanceOf(UserNotConfirmedException.class);

        cognito.confirmSignUp(r -> r.clientId(clientId).username("erin").confirmationCode(codeFor("erin")));

        assertThat(status("erin")).isEqualTo(UserStatusType.CONFIRMED);
        // The verifier was made at SignUp: SRP works with the chosen password.
        SrpTestClient srp = new SrpTestClient();
        InitiateAuthResponse started = cognito.initiateAuth(r -> r.clientId(clientId)
                .authFlow(AuthFlowType.USER_SRP_AUTH)
                .authParameters(Map.of("USERNAME", "erin", "SRP_A", srp.srpA())));
        assertThat(cognito.respondToAuthChallenge(r -> r.clientId(clientId)
                                .challengeName(ChallengeNameType.PASSWORD_VERIFIER)
                                .challengeResponses(srp.answer(poolId, started.challengeParameters(), "Erins-pass-1")))
                        .authenticationResult())
                .isNotNull();
        assertThat(logged).noneMatch(line -> line.contains("Erins-pass-1"));
    }

    @Test
    void aWrongCodeLeavesTheUserUnconfirmedAndTheRightOneStillWorks() {
        signUp("erin", "Erins-pass-1");
        String code = codeFor("erin");
        String wrong = code.equals("000000") ? "111111" : "000000";
        assertThatThrownBy(() -> cognito.confirmSignUp(
                        r -> r.clientId(clientId).username("erin").confirmationCode(wrong)))
                .isInstanceOf(CodeMismatchException.class);
        assertThat(status("erin")).isEqualTo(UserStatusType.UNCONFIRMED);
        cognito.confirmSignUp(r -> r.clientId(clientId).username("erin").confirmationCode(code));
        assertThat(passwordAuth("erin", "Erins-pass-1").authenticationResult()).isNotNull();
    }

    @Test
    void signingUpAnExistingNameIsRefusedAndTheOwnerKeepsTheirPassword() {
        signUp("erin", "Erins-pass-1");
        cognito.adminConfirmSignUp(r -> r.userPoolId(poolId).username("erin"));
        assertThatThrownBy(() -> signUp("erin", "Attackers-pass-1")).isInstanceOf(UsernameExistsException.class);
        assertThat(passwordAuth("erin", "Erins-pass-1").authenticationResult()).isNotNull();
        assertThatThrownBy(() ->
                        cognito.adminConfirmSignUp(r -> r.userPoolId(poolId).username("erin")))
                .isInstanceOf(NotAuthorizedException.class)
                .hasMessageStartingWith("User cannot be confirmed. Current status is CONFIRMED.");
    }

    private SignUpResponse signUp(String username, String password) {
        return cognito.signUp(r -> r.clientId(clientId)
                .username(username)
                .password(password)
                .userAttributes(AttributeType.builder()
                        .name("email")
                        .value(username + "@example.com")
                        .build()));
    }

    private InitiateAuthResponse passwordAuth(String username, String password) {
        return cognito.initiateAuth(r -> r.clientId(clientId)
                .authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                .authParameters(Map.of("USERNAME", username, "PASSWORD", password)));
    }

    private UserStatusType status(String username) {
        return cognito.adminGetUser(r -> r.userPoolId(poolId).username(username))
                .userStatus();
    }

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
