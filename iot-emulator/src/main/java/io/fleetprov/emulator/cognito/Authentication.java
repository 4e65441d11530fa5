package io.fleetprov.emulator.cognito;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * InitiateAuth and RespondToAuthChallenge: picks the {@link AuthFlow} or {@link AuthChallenge} a request names and
 * checks that the app client allows it; the flows and challenges do the rest. Thread-safe.
 */
public final class Authentication {

    /** Flows Cognito has and this emulator does not implement; InitiateAuth refuses them by name. */
    private static final Set<String> UNSUPPORTED_FLOWS = Set.of("USER_SRP_AUTH", "CUSTOM_AUTH", "USER_AUTH");
    /** AdminInitiateAuth's flows, which InitiateAuth refuses as Cognito does. */
    private static final Set<String> ADMIN_FLOWS = Set.of("ADMIN_NO_SRP_AUTH", "ADMIN_USER_PASSWORD_AUTH");

    private final UserPools pools;
    private final Map<String, AuthFlow> flows = new HashMap<>();
    private final Map<String, AuthChallenge> challenges = new HashMap<>();

    Authentication(UserPools pools, List<AuthFlow> flows, List<AuthChallenge> challenges) {
        this.pools = pools;
        flows.forEach(flow -> flow.names().forEach(name -> this.flows.put(name, flow)));
        challenges.forEach(challenge -> this.challenges.put(challenge.name(), challenge));
    }

    public AuthResult initiateAuth(String clientId, String authFlow, Map<String, String> authParameters) {
        AppClient client = pools.client(clientId);
        Map<String, String> params = authParameters == null ? Map.of() : authParameters;
        if (authFlow == null) {
            throw CognitoException.invalidParameter("Missing required parameter AuthFlow");
        }
        AuthFlow flow = flows.get(authFlow);
        if (flow == null) {
            if (UNSUPPORTED_FLOWS.contains(authFlow)) {
                throw CognitoException.invalidParameter("AuthFlow " + authFlow + " is not supported by this emulator.");
            }
            if (ADMIN_FLOWS.contains(authFlow)) {
                throw CognitoException.invalidParameter("Initiate Auth method not supported.");
            }
            throw CognitoException.invalidParameter("1 validation error detected: Value '" + authFlow
                    + "' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set");
        }
        if (!client.allows(flow.clientPermission())) {
            throw CognitoException.invalidParameter(authFlow + " flow not enabled for this client");
        }
        return flow.initiate(client, params);
    }

    /**
     * The hosted UI's sign-in: the USER_PASSWORD_AUTH flow with all its user-status rules (wrong password, temporary
     * password and its expiry, NEW_PASSWORD_REQUIRED), whatever the client's ExplicitAuthFlows say — those govern the
     * API, and Cognito's hosted UI signs users in without any of them.
     */
    AuthResult hostedUiSignIn(AppClient client, String username, String password) {
        Map<String, String> params = new HashMap<>();
        params.put("USERNAME", username);
        params.put("PASSWORD", password);
        return flows.get("USER_PASSWORD_AUTH").initiate(client, params);
    }

    public AuthResult respondToAuthChallenge(
            String clientId, String challengeName, String session, Map<String, String> challengeResponses) {
        AppClient client = pools.client(clientId);
        AuthChallenge challenge = challengeName == null ? null : challenges.get(challengeName);
        if (challenge == null) {
            throw CognitoException.invalidParameter("Unsupported challenge " + challengeName + ".");
        }
        return challenge.respond(client, session, challengeResponses == null ? Map.of() : challengeResponses);
    }
}
