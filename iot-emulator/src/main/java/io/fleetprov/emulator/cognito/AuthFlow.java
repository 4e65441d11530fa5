package io.fleetprov.emulator.cognito;

import java.util.Map;
import java.util.Set;

/**
 * One InitiateAuth flow. A new flow is one implementation, registered in {@link Authentication}; it may answer with a
 * challenge, which an {@link AuthChallenge} then takes.
 */
interface AuthFlow {

    /** The {@code AuthFlow} values that select this flow (Cognito keeps some legacy aliases). */
    Set<String> names();

    /** The {@code ExplicitAuthFlows} entry an app client needs for this flow. */
    String clientPermission();

    /** @param parameters the request's {@code AuthParameters}, never null */
    AuthResult initiate(AppClient client, Map<String, String> parameters);
}
