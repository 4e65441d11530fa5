package io.fleetprov.emulator.cognito;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminInitiateAuthResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthenticationResultType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ChallengeNameType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ExplicitAuthFlowsType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.GetUserResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidParameterException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.NotAuthorizedException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ResourceNotFoundException;

/** AdminInitiateAuth, AdminRespondToAuthChallenge, GetUser and GlobalSignOut through the AWS SDK for Java v2. */
class CognitoUserSessionsIT {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
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
                "backend",
                ExplicitAuthFlowsType.ALLOW_ADMIN_USER_PASSWORD_AUTH,
                ExplicitAuthFlowsType.ALLOW_USER_PASSWORD_AUTH,
                ExplicitAuthFlowsType.ALLOW_REFRESH_TOKEN_AUTH);
        cognito.adminCreateUser(r -> r.userPoolId(poolId)
                .username("alice")
                .temporaryPassword("Temp-pass-1")
                .userAttributes(AttributeType.builder()
                        .name("email")
                        .value("alice@example.com")
                        .build()));
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
    void adminPasswordAuthAndItsLegacyNameIssueTokens() {
        for (AuthFlowType flow :
                new AuthFlowType[] {AuthFlowType.ADMIN_USER_PASSWORD_AUTH, AuthFlowType.ADMIN_NO_SRP_AUTH}) {
            AdminInitiateAuthResponse response = adminAuth(flow, "alice", "Correct-horse-1");
            assertThat(response.authenticationResult().accessToken()).isNotBlank();
            assertThat(response.authenticationResult().refreshToken()).isNotBlank();
        }
        assertThatThrownBy(() -> adminAuth(AuthFlowType.ADMIN_USER_PASSWORD_AUTH, "alice", "Wrong-horse-1"))
                .isInstanceOf(NotAuthorizedException.class)
                .hasMessageStartingWith("Incorrect username or password.");
        assertThat(cognito.adminInitiateAuth(r -> r.userPoolId(poolId)
                                .clientId(clientId)
                                .authFlow(AuthFlowType.REFRESH_TOKEN_AUTH)
                                .authParameters(Map.of(
                                        "REFRESH_TOKEN",
                                        adminAuth(AuthFlowType.ADMIN_USER_PASSWORD_AUTH, "alice", "Correct-horse-1")
                                                .authenticationResult()
                                                .refreshToken())))
                        .authenticationResult()
                        .idToken())
                .isNotBlank();
    }

    @Test
    void adminAuthOfATemporaryPasswordIsAnsweredWithAdminRespondToAuthChallenge() {
        cognito.adminCreateUser(r -> r.userPoolId(poolId).username("bob").temporaryPassword("Temp-pass-1"));
        AdminInitiateAuthResponse challenged = adminAuth(AuthFlowType.ADMIN_USER_PASSWORD_AUTH, "bob", "Temp-pass-1");
        assertThat(challenged.challengeName()).isEqualTo(ChallengeNameType.NEW_PASSWORD_REQUIRED);

        var answered = cognito.adminRespondToAuthChallenge(r -> r.userPoolId(poolId)
                .clientId(clientId)
                .challengeName(ChallengeNameType.NEW_PASSWORD_REQUIRED)
                .session(challenged.session())
                .challengeResponses(Map.of("USERNAME", "bob", "NEW_PASSWORD", "Bobs-new-pass-1")));
        assertThat(answered.authenticationResult().accessToken()).isNotBlank();
    }

    @Test
    void adminAuthNeedsTheClientOfThatPoolWithTheFlowAllowed() {
        String otherPool =
                cognito.createUserPool(r -> r.poolName("other")).userPool().id();
        assertThatThrownBy(() -> cognito.adminInitiateAuth(r -> r.userPoolId(otherPool)
                        .clientId(clientId)
                        .authFlow(AuthFlowType.ADMIN_USER_PASSWORD_AUTH)
                        .authParameters(Map.of("USERNAME", "alice", "PASSWORD", "Correct-horse-1"))))
                .isInstanceOf(ResourceNotFoundException.class);
        String srpOnly = cognito.createUserPoolClient(r -> r.userPoolId(poolId)
                        .clientName("srp-only")
                        .explicitAuthFlows(ExplicitAuthFlowsType.ALLOW_USER_SRP_AUTH))
                .userPoolClient()
                .clientId();
        assertThatThrownBy(() -> cognito.adminInitiateAuth(r -> r.userPoolId(poolId)
                        .clientId(srpOnly)
                        .authFlow(AuthFlowType.ADMIN_USER_PASSWORD_AUTH)
                        .authParameters(Map.of("USERNAME", "alice", "PASSWORD", "Correct-horse-1"))))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageStartingWith("Auth flow not enabled for this client");
        assertThatThrownBy(() -> cognito.adminInitiateAuth(r -> r.userPoolId(poolId)
                        .clientId(clientId)
                        .authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                        .authParameters(Map.of("USERNAME", "alice", "PASSWORD", "Correct-horse-1"))))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageStartingWith("Initiate Auth method not supported.");
    }

    @Test
    void getUserAnswersForTheAccessTokensUser() {
        GetUserResponse user = cognito.getUser(r -> r.accessToken(signIn().accessToken()));

        assertThat(user.username()).isEqualTo("alice");
        assertThat(user.userAttributes()).extracting(AttributeType::name).containsExactlyInAnyOrder("sub", "email");
    }

    @Test
    void getUserRefusesIdTokensForgedAndExpiredTokens() {
        AuthenticationResultType tokens = signIn();
        assertThatThrownBy(() -> cognito.getUser(r -> r.accessToken(tokens.idToken())))
                .isInstanceOf(NotAuthorizedException.class)
                .hasMessageStartingWith("Invalid Access Token");
        String[] parts = tokens.accessToken().split("\\.");
        String tampered = parts[0] + "." + parts[1] + "x." + parts[2];
        assertThatThrownBy(() -> cognito.getUser(r -> r.accessToken(tampered)))
                .isInstanceOf(NotAuthorizedException.class)
                .hasMessageStartingWith("Invalid Access Token");
        assertThatThrownBy(() -> cognito.getUser(r -> r.accessToken("not-a-jwt")))
                .isInstanceOf(NotAuthorizedException.class)
                .hasMessageStartingWith("Invalid Access Token");
        // Signature stripped.
        String unsigned = parts[0] + "." + parts[1] + ".";
        assertThatThrownBy(() -> cognito.getUser(r -> r.accessToken(unsigned)))
                .isInstanceOf(NotAuthorizedException.class)
                .hasMessageStartingWith("Invalid Access Token");

        now.set(now.get().plus(TokenIssuer.TOKEN_VALIDITY).plus(Duration.ofSeconds(1)));
        assertThatThrownBy(() -> cognito.getUser(r -> r.accessToken(tokens.accessToken())))
                .isInstanceOf(NotAuthorizedException.class)
                .hasMessageStartingWith("Access Token has expired");
    }

    @Test
    void globalSignOutRevokesRefreshTokensAndEarlierAccessTokensButNotLaterSignIns() {
        AuthenticationResultType first = signIn();
        AuthenticationResultType second = signIn();
        cognito.adminCreateUser(r -> r.userPoolId(poolId).username("bob").temporaryPassword("Temp-pass-1"));
        cognito.adminSetUserPassword(r ->
                r.userPoolId(poolId).username("bob").password("Bobs-pass-1").permanent(true));
        AuthenticationResultType bobs = adminAuth(AuthFlowType.ADMIN_USER_PASSWORD_AUTH, "bob", "Bobs-pass-1")
                .authenticationResult();

        cognito.globalSignOut(r -> r.accessToken(first.accessToken()));

        for (AuthenticationResultType revoked : new AuthenticationResultType[] {first, second}) {
            assertThatThrownBy(() -> cognito.getUser(r -> r.accessToken(revoked.accessToken())))
                    .isInstanceOf(NotAuthorizedException.class)
                    .hasMessageStartingWith("Access Token has been revoked");
            assertThatThrownBy(() -> cognito.initiateAuth(r -> r.clientId(clientId)
                            .authFlow(AuthFlowType.REFRESH_TOKEN_AUTH)
                            .authParameters(Map.of("REFRESH_TOKEN", revoked.refreshToken()))))
                    .isInstanceOf(NotAuthorizedException.class)
                    .hasMessageStartingWith("Refresh Token has been revoked");
        }
        // Nothing else is lost: another user's session, and alice's next sign-in.
        assertThat(cognito.getUser(r -> r.accessToken(bobs.accessToken())).username())
                .isEqualTo("bob");
        assertThat(cognito.getUser(r -> r.accessToken(signIn().accessToken())).username())
                .isEqualTo("alice");
    }

    @Test
    void adminUserGlobalSignOutRevokesToo() {
        AuthenticationResultType tokens = signIn();
        cognito.adminUserGlobalSignOut(r -> r.userPoolId(poolId).username("alice"));
        assertThatThrownBy(() -> cognito.getUser(r -> r.accessToken(tokens.accessToken())))
                .isInstanceOf(NotAuthorizedException.class)
                .hasMessageStartingWith("Access Token has been revoked");
    }

    private AuthenticationResultType signIn() {
        return adminAuth(AuthFlowType.ADMIN_USER_PASSWORD_AUTH, "alice", "Correct-horse-1")
                .authenticationResult();
    }

    private AdminInitiateAuthResponse adminAuth(AuthFlowType flow, String username, String password) {
        return cognito.adminInitiateAuth(r -> r.userPoolId(poolId)
                .clientId(clientId)
                .authFlow(flow)
                .authParameters(Map.of("USERNAME", username, "PASSWORD", password)));
    }
}
