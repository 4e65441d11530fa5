package io.fleetprov.emulator.cognito;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ChallengeNameType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ExplicitAuthFlowsType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InitiateAuthResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidParameterException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.NotAuthorizedException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.RespondToAuthChallengeResponse;

/** USER_SRP_AUTH and PASSWORD_VERIFIER through the official AWS SDK for Java v2, with a client-side SRP. */
class CognitoSrpIT {

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
                "mobile-app",
                ExplicitAuthFlowsType.ALLOW_USER_SRP_AUTH,
                ExplicitAuthFlowsType.ALLOW_REFRESH_TOKEN_AUTH);
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
    void passwordVerifierChallengeLooksLikeCognitosAndSignsIn() throws Exception {
        SrpTestClient srp = new SrpTestClient();
        InitiateAuthResponse started = initiate(clientId, "alice", srp, null);

        assertThat(started.challengeName()).isEqualTo(ChallengeNameType.PASSWORD_VERIFIER);
        assertThat(started.challengeParameters())
                .containsOnlyKeys("SALT", "SECRET_BLOCK", "SRP_B", "USERNAME", "USER_ID_FOR_SRP")
                .containsEntry("USER_ID_FOR_SRP", "alice");
        RespondToAuthChallengeResponse answered = verify(clientId, srp, started, "Correct-horse-1", null);

        assertThat(answered.authenticationResult().refreshToken()).isNotBlank();
        assertThat(SignedJWT.parse(answered.authenticationResult().idToken())
                        .getJWTClaimsSet()
                        .getStringClaim("cognito:username"))
                .isEqualTo("alice");
    }

    @Test
    void temporaryPasswordLeadsToNewPasswordRequiredAfterThePasswordVerifier() {
        cognito.adminCreateUser(r -> r.userPoolId(poolId).username("bob").temporaryPassword("Temp-pass-1"));
        SrpTestClient srp = new SrpTestClient();
        RespondToAuthChallengeResponse verified =
                verify(clientId, srp, initiate(clientId, "bob", srp, null), "Temp-pass-1", null);
        assertThat(verified.challengeName()).isEqualTo(ChallengeNameType.NEW_PASSWORD_REQUIRED);

        RespondToAuthChallengeResponse done = cognito.respondToAuthChallenge(r -> r.clientId(clientId)
                .challengeName(ChallengeNameType.NEW_PASSWORD_REQUIRED)
                .session(verified.session())
                .challengeResponses(Map.of("USERNAME", "bob", "NEW_PASSWORD", "Bobs-new-pass-1")));
        assertThat(done.authenticationResult().accessToken()).isNotBlank();

        // The new password has a new verifier; the temporary one no longer signs in.
        assertThat(signIn("bob", "Bobs-new-pass-1").authenticationResult()).isNotNull();
        assertThatThrownBy(() -> signIn("bob", "Temp-pass-1")).isInstanceOf(NotAuthorizedException.class);
    }

    @Test
    void wrongPasswordAndUnknownUserFailAlikeAndTheUserStillSignsIn() {
        assertThatThrownBy(() -> signIn("alice", "Wrong-horse-1"))
                .isInstanceOf(NotAuthorizedException.class)
                .hasMessageStartingWith("Incorrect username or password.");
        SrpTestClient srp = new SrpTestClient();
        InitiateAuthResponse unknown = initiate(clientId, "nobody", srp, null);
        assertThat(unknown.challengeName()).isEqualTo(ChallengeNameType.PASSWORD_VERIFIER);
        assertThat(unknown.challengeParameters())
                .containsOnlyKeys("SALT", "SECRET_BLOCK", "SRP_B", "USERNAME", "USER_ID_FOR_SRP");
        assertThatThrownBy(() -> verify(clientId, srp, unknown, "Whatever-1", null))
                .isInstanceOf(NotAuthorizedException.class)
                .hasMessageStartingWith("Incorrect username or password.");

        assertThat(signIn("alice", "Correct-horse-1").authenticationResult()).isNotNull();
    }

    @Test
    void anAnswerIsUsedOnceAndExpires() {
        SrpTestClient srp = new SrpTestClient();
        InitiateAuthResponse started = initiate(clientId, "alice", srp, null);
        Map<String, String> answer = srp.answer(poolId, started.challengeParameters(), "Correct-horse-1");
        assertThat(respond(clientId, answer).authenticationResult()).isNotNull();
        assertThatThrownBy(() -> respond(clientId, answer)).isInstanceOf(NotAuthorizedException.class);

        SrpTestClient late = new SrpTestClient();
        InitiateAuthResponse slow = initiate(clientId, "alice", late, null);
        now.set(now.get().plus(ChallengeSessions.VALIDITY).plus(Duration.ofSeconds(1)));
        assertThatThrownBy(() -> verify(clientId, late, slow, "Correct-horse-1", null))
                .isInstanceOf(NotAuthorizedException.class)
                .hasMessageContaining("expired");
    }

    @Test
    void degenerateSrpAIsRefusedBeforeAnyChallenge() {
        for (String a :
                new String[] {"0", Srp.N.toString(16), Srp.N.shiftLeft(1).toString(16), "xyz", ""}) {
            assertThatThrownBy(() -> cognito.initiateAuth(r -> r.clientId(clientId)
                            .authFlow(AuthFlowType.USER_SRP_AUTH)
                            .authParameters(Map.of("USERNAME", "alice", "SRP_A", a))))
                    .isInstanceOf(InvalidParameterException.class);
        }
        assertThat(signIn("alice", "Correct-horse-1").authenticationResult()).isNotNull();
    }

    @Test
    void anAttemptStartedForOneUserCannotBeAnsweredAsAnother() {
        cognito.adminCreateUser(r -> r.userPoolId(poolId).username("mallory").temporaryPassword("Temp-pass-1"));
        cognito.adminSetUserPassword(r -> r.userPoolId(poolId)
                .username("mallory")
                .password("Mallorys-pass-1")
                .permanent(true));
        SrpTestClient srp = new SrpTestClient();
        InitiateAuthResponse started = initiate(clientId, "mallory", srp, null);
        Map<String, String> asAlice = new HashMap<>(started.challengeParameters());
        asAlice.put("USER_ID_FOR_SRP", "alice");

        assertThatThrownBy(() -> respond(clientId, srp.answer(poolId, asAlice, "Mallorys-pass-1")))
                .isInstanceOf(NotAuthorizedException.class);
        assertThat(signIn("alice", "Correct-horse-1").authenticationResult()).isNotNull();
    }

    @Test
    void malformedTimestampIsRefusedWithoutUsingUpTheAttempt() {
        SrpTestClient srp = new SrpTestClient();
        InitiateAuthResponse started = initiate(clientId, "alice", srp, null);
        assertThatThrownBy(() -> respond(
                        clientId, srp.answer(poolId, started.challengeParameters(), "Correct-horse-1", "2026-12-03")))
                .isInstanceOf(InvalidParameterException.class);
        assertThat(verify(clientId, srp, started, "Correct-horse-1", null).authenticationResult())
                .isNotNull();
    }

    @Test
    void clientsWithoutSrpAllowedAreRefused() {
        String passwordOnly = cognito.createUserPoolClient(r -> r.userPoolId(poolId)
                        .clientName("password-only")
                        .explicitAuthFlows(ExplicitAuthFlowsType.ALLOW_USER_PASSWORD_AUTH))
                .userPoolClient()
                .clientId();
        assertThatThrownBy(() -> initiate(passwordOnly, "alice", new SrpTestClient(), null))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("USER_SRP_AUTH flow not enabled for this client");
    }

    @Test
    void clientsWithASecretNeedTheSecretHashInBothSteps() {
        var confidential = cognito.createUserPoolClient(r -> r.userPoolId(poolId)
                        .clientName("backend")
                        .generateSecret(true)
                        .explicitAuthFlows(ExplicitAuthFlowsType.ALLOW_USER_SRP_AUTH))
                .userPoolClient();
        String hash = SecretHash.of(confidential.clientSecret(), "alice", confidential.clientId());
        SrpTestClient srp = new SrpTestClient();
        assertThatThrownBy(() -> initiate(confidential.clientId(), "alice", srp, null))
                .isInstanceOf(NotAuthorizedException.class)
                .hasMessageContaining("SECRET_HASH was not received");
        InitiateAuthResponse started = initiate(confidential.clientId(), "alice", srp, hash);
        assertThatThrownBy(() -> verify(confidential.clientId(), srp, started, "Correct-horse-1", null))
                .isInstanceOf(NotAuthorizedException.class)
                .hasMessageContaining("SECRET_HASH was not received");
        assertThat(verify(confidential.clientId(), srp, started, "Correct-horse-1", hash)
                        .authenticationResult())
                .isNotNull();
    }

    private InitiateAuthResponse signIn(String username, String password) {
        SrpTestClient srp = new SrpTestClient();
        InitiateAuthResponse started = initiate(clientId, username, srp, null);
        RespondToAuthChallengeResponse answered = verify(clientId, srp, started, password, null);
        // Shaped as InitiateAuth's answer, so that callers can look at the tokens the same way.
        return InitiateAuthResponse.builder()
                .authenticationResult(answered.authenticationResult())
                .challengeName(answered.challengeName())
                .session(answered.session())
                .build();
    }

    private InitiateAuthResponse initiate(String client, String username, SrpTestClient srp, String secretHash) {
        Map<String, String> parameters = new HashMap<>(Map.of("USERNAME", username, "SRP_A", srp.srpA()));
        if (secretHash != null) {
            parameters.put("SECRET_HASH", secretHash);
        }
        return cognito.initiateAuth(
                r -> r.clientId(client).authFlow(AuthFlowType.USER_SRP_AUTH).authParameters(parameters));
    }

    private RespondToAuthChallengeResponse verify(
            String client, SrpTestClient srp, InitiateAuthResponse started, String password, String secretHash) {
        Map<String, String> answer = new HashMap<>(srp.answer(poolId, started.challengeParameters(), password));
        if (secretHash != null) {
            answer.put("SECRET_HASH", secretHash);
        }
        return respond(client, answer);
    }

    private RespondToAuthChallengeResponse respond(String client, Map<String, String> answer) {
        return cognito.respondToAuthChallenge(r -> r.clientId(client)
                .challengeName(ChallengeNameType.PASSWORD_VERIFIER)
                .challengeResponses(answer));
    }
}
