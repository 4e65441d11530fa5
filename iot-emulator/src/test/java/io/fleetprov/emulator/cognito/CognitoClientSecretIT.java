package io.fleetprov.emulator.cognito;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ChallengeNameType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InitiateAuthResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.NotAuthorizedException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolClientType;

/** App clients with a secret: SECRET_HASH required and checked, through the official AWS SDK for Java v2. */
class CognitoClientSecretIT {

    private CognitoTestServer server;
    private CognitoIdentityProviderClient cognito;
    private String poolId;
    private UserPoolClientType client;

    @BeforeEach
    void start() throws Exception {
        server = new CognitoTestServer();
        cognito = server.sdk();
        poolId =
                cognito.createUserPool(r -> r.poolName("installers")).userPool().id();
        client = cognito.createUserPoolClient(
                        r -> r.userPoolId(poolId).clientName("backend").generateSecret(true))
                .userPoolClient();
        cognito.adminCreateUser(r -> r.userPoolId(poolId).username("alice").temporaryPassword("Temp-pass-1"));
        cognito.adminSetUserPassword(r -> r.userPoolId(poolId)
                .username("alice")
                .password("Correct-horse-1")
                .permanent(true));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void generatedSecretIsReturnedByCreateAndDescribe() {
        assertThat(client.clientSecret()).matches("[a-z0-9]{52}");
        UserPoolClientType described = cognito.describeUserPoolClient(
                        r -> r.userPoolId(poolId).clientId(client.clientId()))
                .userPoolClient();
        assertThat(described.clientSecret()).isEqualTo(client.clientSecret());
        assertThat(described.clientId()).isEqualTo(client.clientId());

        String publicClient = cognito.createUserPoolClient(
                        r -> r.userPoolId(poolId).clientName("app"))
                .userPoolClient()
                .clientId();
        assertThat(cognito.describeUserPoolClient(r -> r.userPoolId(poolId).clientId(publicClient))
                        .userPoolClient()
                        .clientSecret())
                .isNull();
        String otherPool =
                cognito.createUserPool(r -> r.poolName("other")).userPool().id();
        assertThatThrownBy(() -> cognito.describeUserPoolClient(
                        r -> r.userPoolId(otherPool).clientId(client.clientId())))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void signInWithTheRightSecretHashIssuesTokensAndRefreshNeedsItToo() {
        InitiateAuthResponse signedIn = passwordAuth("alice", secretHash("alice"));
        assertThat(signedIn.authenticationResult().accessToken()).isNotBlank();

        String refreshToken = signedIn.authenticationResult().refreshToken();
        assertThatThrownBy(() -> refresh(refreshToken, null))
                .isInstanceOf(NotAuthorizedException.class)
                .hasMessageContaining("configured with secret but SECRET_HASH was not received");
        assertThat(refresh(refreshToken, secretHash("alice"))
                        .authenticationResult()
                        .idToken())
                .isNotBlank();
    }

    @Test
    void missingOrWrongSecretHashIsRefusedAndTheUserStillSignsIn() {
        assertThatThrownBy(() -> passwordAuth("alice", null))
                .isInstanceOf(NotAuthorizedException.class)
                .hasMessageStartingWith(
                        "Client " + client.clientId() + " is configured with secret but SECRET_HASH was not received");
        // A hash over another user's name, and one made with another client's secret.
        assertThatThrownBy(() -> passwordAuth("alice", secretHash("bob")))
                .isInstanceOf(NotAuthorizedException.class)
                .hasMessageStartingWith("Unable to verify secret hash for client " + client.clientId());
        assertThatThrownBy(() -> passwordAuth("alice", Base64.getEncoder().encodeToString(new byte[32])))
                .isInstanceOf(NotAuthorizedException.class)
                .hasMessageStartingWith("Unable to verify secret hash for client");

        assertThat(passwordAuth("alice", secretHash("alice")).authenticationResult())
                .isNotNull();
    }

    @Test
    void newPasswordChallengeNeedsTheSecretHashAndKeepsItsSessionWhenItIsMissing() {
        cognito.adminCreateUser(r -> r.userPoolId(poolId).username("bob").temporaryPassword("Temp-pass-1"));
        InitiateAuthResponse challenged = cognito.initiateAuth(r -> r.clientId(client.clientId())
                .authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                .authParameters(
                        Map.of("USERNAME", "bob", "PASSWORD", "Temp-pass-1", "SECRET_HASH", secretHash("bob"))));
        assertThat(challenged.challengeName()).isEqualTo(ChallengeNameType.NEW_PASSWORD_REQUIRED);

        assertThatThrownBy(() -> cognito.respondToAuthChallenge(r -> r.clientId(client.clientId())
                        .challengeName(ChallengeNameType.NEW_PASSWORD_REQUIRED)
                        .session(challenged.session())
                        .challengeResponses(Map.of("USERNAME", "bob", "NEW_PASSWORD", "Bobs-new-pass-1"))))
                .isInstanceOf(NotAuthorizedException.class)
                .hasMessageContaining("SECRET_HASH was not received");

        var answered = cognito.respondToAuthChallenge(r -> r.clientId(client.clientId())
                .challengeName(ChallengeNameType.NEW_PASSWORD_REQUIRED)
                .session(challenged.session())
                .challengeResponses(Map.of(
                        "USERNAME", "bob", "NEW_PASSWORD", "Bobs-new-pass-1", "SECRET_HASH", secretHash("bob"))));
        assertThat(answered.authenticationResult().accessToken()).isNotBlank();
    }

    @Test
    void publicClientsIgnoreSecretHash() {
        String publicClient = cognito.createUserPoolClient(
                        r -> r.userPoolId(poolId).clientName("app"))
                .userPoolClient()
                .clientId();
        assertThat(cognito.initiateAuth(r -> r.clientId(publicClient)
                                .authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                                .authParameters(
                                        Map.of("USERNAME", "alice", "PASSWORD", "Correct-horse-1", "SECRET_HASH", "x")))
                        .authenticationResult())
                .isNotNull();
    }

    private InitiateAuthResponse passwordAuth(String username, String secretHash) {
        Map<String, String> parameters = new HashMap<>(Map.of("USERNAME", username, "PASSWORD", "Correct-horse-1"));
        if (secretHash != null) {
            parameters.put("SECRET_HASH", secretHash);
        }
        return cognito.initiateAuth(r -> r.clientId(client.clientId())
                .authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                .authParameters(parameters));
    }

    private InitiateAuthResponse refresh(String refreshToken, String secretHash) {
        Map<String, String> parameters = new HashMap<>(Map.of("REFRESH_TOKEN", refreshToken));
        if (secretHash != null) {
            parameters.put("SECRET_HASH", secretHash);
        }
        return cognito.initiateAuth(r -> r.clientId(client.clientId())
                .authFlow(AuthFlowType.REFRESH_TOKEN_AUTH)
                .authParameters(parameters));
    }

    /** Computed here independently, as the AWS documentation describes it, rather than with the emulator's code. */
    private String secretHash(String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(client.clientSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder()
                    .encodeToString(mac.doFinal((username + client.clientId()).getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
