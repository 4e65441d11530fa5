package io.fleetprov.emulator.cognito;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminCreateUserResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ChallengeNameType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CognitoIdentityProviderException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CreateGroupResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ExplicitAuthFlowsType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.GroupExistsException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InitiateAuthResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidParameterException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidPasswordException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.NotAuthorizedException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.RespondToAuthChallengeResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolClientType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserStatusType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UsernameExistsException;

/** Every supported operation and error, through the official AWS SDK for Java v2. */
class CognitoSdkOperationsTest {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
    // Set by hand, so expiry is tested without sleeping (the shared TestClock lives downstream of the emulator).
    private final Clock clock = ((InstantSource) now::get).withZone(ZoneOffset.UTC);
    private CognitoTestServer server;
    private CognitoIdentityProviderClient cognito;
    private String poolId;
    private String clientId;

    @BeforeEach
    void start() throws Exception {
        server = new CognitoTestServer(null, clock);
        cognito = server.sdk();
        poolId = server.createUserPool("installers");
        clientId = server.createAppClient(
                poolId,
                "installer-app",
                ExplicitAuthFlowsType.ALLOW_USER_PASSWORD_AUTH,
                ExplicitAuthFlowsType.ALLOW_REFRESH_TOKEN_AUTH);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void createUserPoolAndClientLookLikeCognito() {
        UserPoolType pool = cognito.createUserPool(r -> r.poolName("auditors")).userPool();
        assertThat(pool.id()).matches("us-east-1_[A-Za-z0-9]{9}");
        assertThat(pool.name()).isEqualTo("auditors");
        assertThat(pool.arn()).isEqualTo("arn:aws:cognito-idp:us-east-1:000000000000:userpool/" + pool.id());
        assertThat(pool.creationDate()).isCloseTo(clock.instant(), within(1, ChronoUnit.SECONDS));

        UserPoolClientType client = cognito.createUserPoolClient(
                        r -> r.userPoolId(pool.id()).clientName("app"))
                .userPoolClient();
        assertThat(client.clientId()).matches("[a-z0-9]{26}");
        assertThat(client.userPoolId()).isEqualTo(pool.id());
        assertThat(client.explicitAuthFlows())
                .containsExactlyInAnyOrder(
                        ExplicitAuthFlowsType.ALLOW_USER_PASSWORD_AUTH,
                        ExplicitAuthFlowsType.ALLOW_USER_SRP_AUTH,
                        ExplicitAuthFlowsType.ALLOW_ADMIN_USER_PASSWORD_AUTH,
                        ExplicitAuthFlowsType.ALLOW_REFRESH_TOKEN_AUTH);
    }

    @Test
    void adminCreateUserReturnsTheUserWithSubAndAttributes() {
        AdminCreateUserResponse created = cognito.adminCreateUser(r -> r.userPoolId(poolId)
                .username("alice")
                .temporaryPassword("Temp-pass-1")
                .userAttributes(attr("email", "alice@example.com"), attr("email_verified", "true")));

        assertThat(created.user().username()).isEqualTo("alice");
        assertThat(created.user().userStatus()).isEqualTo(UserStatusType.FORCE_CHANGE_PASSWORD);
        assertThat(created.user().enabled()).isTrue();
        assertThat(created.user().attributes())
                .extracting(AttributeType::name)
                .containsExactlyInAnyOrder("sub", "email", "email_verified");
        assertThat(created.responseMetadata().requestId()).isNotBlank().isNotEqualTo("UNKNOWN");
    }

    @Test
    void duplicateUserIsUsernameExists() {
        createConfirmedUser("alice", "Correct-horse-1");

        assertThatThrownBy(() -> cognito.adminCreateUser(
                        r -> r.userPoolId(poolId).username("alice").temporaryPassword("Another-pass-1")))
                .isInstanceOf(UsernameExistsException.class)
                .satisfies(e ->
                        assertThat(((UsernameExistsException) e).statusCode()).isEqualTo(400));
    }

    @Test
    void shortPasswordsViolateThePolicy() {
        assertThatThrownBy(() -> cognito.adminCreateUser(
                        r -> r.userPoolId(poolId).username("bob").temporaryPassword("short")))
                .isInstanceOf(InvalidPasswordException.class);
        createConfirmedUser("carol", "Correct-horse-1");
        assertThatThrownBy(() -> cognito.adminSetUserPassword(r -> r.userPoolId(poolId)
                        .username("carol")
                        .password("1234567")
                        .permanent(true)))
                .isInstanceOf(InvalidPasswordException.class);
    }

    @Test
    void passwordSignInIssuesBearerTokensForOneHour() {
        createConfirmedUser("alice", "Correct-horse-1");

        InitiateAuthResponse response = passwordAuth("alice", "Correct-horse-1");

        assertThat(response.challengeName()).isNull();
        assertThat(response.authenticationResult().tokenType()).isEqualTo("Bearer");
        assertThat(response.authenticationResult().expiresIn()).isEqualTo(3600);
        assertThat(response.authenticationResult().idToken()).isNotBlank();
        assertThat(response.authenticationResult().accessToken()).isNotBlank();
        assertThat(response.authenticationResult().refreshToken()).isNotBlank();
    }

    @Test
    void wrongPasswordAndUnknownUserAreIndistinguishable() {
        createConfirmedUser("alice", "Correct-horse-1");

        assertThatThrownBy(() -> passwordAuth("alice", "Wrong-horse-1"))
                .isInstanceOf(NotAuthorizedException.class)
                .hasMessageStartingWith("Incorrect username or password.");
        assertThatThrownBy(() -> passwordAuth("mallory", "Correct-horse-1"))
                .isInstanceOf(NotAuthorizedException.class)
                .hasMessageStartingWith("Incorrect username or password.");
    }

    @Test
    void temporaryPasswordLeadsToNewPasswordChallenge() {
        cognito.adminCreateUser(r -> r.userPoolId(poolId)
                .username("dave")
                .temporaryPassword("Temp-pass-1")
                .userAttributes(attr("email", "dave@example.com")));

        InitiateAuthResponse first = passwordAuth("dave", "Temp-pass-1");
        assertThat(first.authenticationResult()).isNull();
        assertThat(first.challengeName()).isEqualTo(ChallengeNameType.NEW_PASSWORD_REQUIRED);
        assertThat(first.session()).isNotBlank();
        assertThat(first.challengeParameters())
                .containsEntry("USER_ID_FOR_SRP", "dave")
                .containsEntry("requiredAttributes", "[]");
        assertThat(first.challengeParameters().get("userAttributes")).contains("dave@example.com");

        RespondToAuthChallengeResponse answered = cognito.respondToAuthChallenge(r -> r.clientId(clientId)
                .challengeName(ChallengeNameType.NEW_PASSWORD_REQUIRED)
                .session(first.session())
                .challengeResponses(Map.of("USERNAME", "dave", "NEW_PASSWORD", "Brand-new-pass-1")));
        assertThat(answered.authenticationResult().idToken()).isNotBlank();

        // The session is single-use, and the new password is now the one that works.
        assertThatThrownBy(() -> cognito.respondToAuthChallenge(r -> r.clientId(clientId)
                        .challengeName(ChallengeNameType.NEW_PASSWORD_REQUIRED)
                        .session(first.session())
                        .challengeResponses(Map.of("USERNAME", "dave", "NEW_PASSWORD", "Brand-new-pass-2"))))
                .isInstanceOf(NotAuthorizedException.class);
        assertThat(passwordAuth("dave", "Brand-new-pass-1").authenticationResult())
                .isNotNull();
        assertThat(cognito.adminGetUser(r -> r.userPoolId(poolId).username("dave"))
                        .userStatus())
                .isEqualTo(UserStatusType.CONFIRMED);
    }

    @Test
    void expiredTemporaryPasswordIsRefused() {
        cognito.adminCreateUser(r -> r.userPoolId(poolId).username("erin").temporaryPassword("Temp-pass-1"));
        now.updateAndGet(t -> t.plus(Duration.ofDays(8)));

        assertThatThrownBy(() -> passwordAuth("erin", "Temp-pass-1"))
                .isInstanceOf(NotAuthorizedException.class)
                .hasMessageContaining("Temporary password has expired");
    }

    @Test
    void temporaryAdminSetUserPasswordForcesAChange() {
        createConfirmedUser("frank", "Correct-horse-1");
        cognito.adminSetUserPassword(r ->
                r.userPoolId(poolId).username("frank").password("Temp-pass-2").permanent(false));

        assertThat(passwordAuth("frank", "Temp-pass-2").challengeName())
                .isEqualTo(ChallengeNameType.NEW_PASSWORD_REQUIRED);
        assertThatThrownBy(() -> passwordAuth("frank", "Correct-horse-1")).isInstanceOf(NotAuthorizedException.class);
    }

    @Test
    void unknownPoolAndClientAreResourceNotFound() {
        assertThatThrownBy(() -> cognito.adminCreateUser(
                        r -> r.userPoolId("us-east-1_Missing00").username("x").temporaryPassword("Temp-pass-1")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> cognito.createGroup(
                        r -> r.userPoolId("us-east-1_Missing00").groupName("g")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> cognito.initiateAuth(r -> r.clientId("nosuchclient0000000000000")
                        .authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                        .authParameters(Map.of("USERNAME", "alice", "PASSWORD", "Correct-horse-1"))))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void unknownUserInAdminOperationsIsUserNotFound() {
        cognito.createGroup(r -> r.userPoolId(poolId).groupName("installers"));

        assertThatThrownBy(() -> cognito.adminSetUserPassword(r -> r.userPoolId(poolId)
                        .username("ghost")
                        .password("Correct-horse-1")
                        .permanent(true)))
                .isInstanceOf(UserNotFoundException.class);
        assertThatThrownBy(() -> cognito.adminAddUserToGroup(
                        r -> r.userPoolId(poolId).username("ghost").groupName("installers")))
                .isInstanceOf(UserNotFoundException.class);
    }

    @Test
    void groupsAreCreatedOnceAndMustExistToJoin() {
        CreateGroupResponse created = cognito.createGroup(r -> r.userPoolId(poolId)
                .groupName("installers")
                .description("field installers")
                .precedence(10));
        assertThat(created.group().groupName()).isEqualTo("installers");
        assertThat(created.group().userPoolId()).isEqualTo(poolId);
        assertThat(created.group().precedence()).isEqualTo(10);

        assertThatThrownBy(() -> cognito.createGroup(r -> r.userPoolId(poolId).groupName("installers")))
                .isInstanceOf(GroupExistsException.class);

        createConfirmedUser("alice", "Correct-horse-1");
        assertThatThrownBy(() -> cognito.adminAddUserToGroup(
                        r -> r.userPoolId(poolId).username("alice").groupName("nosuchgroup")))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void refreshIssuesNewTokensWithCurrentGroupsButNoNewRefreshToken() throws Exception {
        cognito.createGroup(r -> r.userPoolId(poolId).groupName("installers"));
        createConfirmedUser("alice", "Correct-horse-1");
        InitiateAuthResponse signIn = passwordAuth("alice", "Correct-horse-1");
        assertThat(SignedJWT.parse(signIn.authenticationResult().idToken())
                        .getJWTClaimsSet()
                        .getClaim("cognito:groups"))
                .isNull();

        cognito.adminAddUserToGroup(r -> r.userPoolId(poolId).username("alice").groupName("installers"));
        InitiateAuthResponse refreshed = cognito.initiateAuth(r -> r.clientId(clientId)
                .authFlow(AuthFlowType.REFRESH_TOKEN_AUTH)
                .authParameters(
                        Map.of("REFRESH_TOKEN", signIn.authenticationResult().refreshToken())));

        assertThat(refreshed.authenticationResult().refreshToken()).isNull();
        assertThat(refreshed.authenticationResult().expiresIn()).isEqualTo(3600);
        assertThat(SignedJWT.parse(refreshed.authenticationResult().idToken())
                        .getJWTClaimsSet()
                        .getStringListClaim("cognito:groups"))
                .containsExactly("installers");
        assertThat(SignedJWT.parse(refreshed.authenticationResult().accessToken())
                        .getJWTClaimsSet()
                        .getStringListClaim("cognito:groups"))
                .containsExactly("installers");
    }

    @Test
    void invalidOrExpiredRefreshTokenIsNotAuthorized() {
        createConfirmedUser("alice", "Correct-horse-1");
        String refreshToken =
                passwordAuth("alice", "Correct-horse-1").authenticationResult().refreshToken();

        assertThatThrownBy(() -> refresh("not-a-refresh-token")).isInstanceOf(NotAuthorizedException.class);

        String otherClient = cognito.createUserPoolClient(
                        r -> r.userPoolId(poolId).clientName("other"))
                .userPoolClient()
                .clientId();
        assertThatThrownBy(() -> cognito.initiateAuth(r -> r.clientId(otherClient)
                        .authFlow(AuthFlowType.REFRESH_TOKEN_AUTH)
                        .authParameters(Map.of("REFRESH_TOKEN", refreshToken))))
                .isInstanceOf(NotAuthorizedException.class);

        assertThat(refresh(refreshToken).authenticationResult()).isNotNull();
        now.updateAndGet(t -> t.plus(Duration.ofDays(30).plusSeconds(1)));
        assertThatThrownBy(() -> refresh(refreshToken))
                .isInstanceOf(NotAuthorizedException.class)
                .hasMessageContaining("Refresh Token has expired");
    }

    @Test
    void flowsNotEnabledOrNotImplementedAreInvalidParameter() {
        String srpOnly = cognito.createUserPoolClient(r -> r.userPoolId(poolId)
                        .clientName("srp-only")
                        .explicitAuthFlows(ExplicitAuthFlowsType.ALLOW_USER_SRP_AUTH))
                .userPoolClient()
                .clientId();
        createConfirmedUser("alice", "Correct-horse-1");

        assertThatThrownBy(() -> cognito.initiateAuth(r -> r.clientId(srpOnly)
                        .authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                        .authParameters(Map.of("USERNAME", "alice", "PASSWORD", "Correct-horse-1"))))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("USER_PASSWORD_AUTH flow not enabled for this client");
        assertThatThrownBy(() -> cognito.initiateAuth(r -> r.clientId(clientId)
                        .authFlow(AuthFlowType.USER_SRP_AUTH)
                        .authParameters(Map.of("USERNAME", "alice", "SRP_A", "abc"))))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> cognito.initiateAuth(r -> r.clientId(clientId)
                        .authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                        .authParameters(Map.of("USERNAME", "alice"))))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("PASSWORD");
    }

    @Test
    void errorsCarryTheCognitoErrorCode() {
        assertThatThrownBy(() -> passwordAuth("nobody", "Whatever-1"))
                .isInstanceOfSatisfying(CognitoIdentityProviderException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NotAuthorizedException");
                    assertThat(e.requestId()).isNotBlank();
                });
    }

    private void createConfirmedUser(String username, String password) {
        cognito.adminCreateUser(r -> r.userPoolId(poolId).username(username).temporaryPassword("Temp-pass-1"));
        cognito.adminSetUserPassword(
                r -> r.userPoolId(poolId).username(username).password(password).permanent(true));
    }

    private InitiateAuthResponse passwordAuth(String username, String password) {
        return cognito.initiateAuth(r -> r.clientId(clientId)
                .authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                .authParameters(Map.of("USERNAME", username, "PASSWORD", password)));
    }

    private InitiateAuthResponse refresh(String refreshToken) {
        return cognito.initiateAuth(r -> r.clientId(clientId)
                .authFlow(AuthFlowType.REFRESH_TOKEN_AUTH)
                .authParameters(Map.of("REFRESH_TOKEN", refreshToken)));
    }

    private static AttributeType attr(String name, String value) {
        return AttributeType.builder().name(name).value(value).build();
    }
}
