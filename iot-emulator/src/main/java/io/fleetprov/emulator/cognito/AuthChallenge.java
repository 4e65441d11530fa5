package io.fleetprov.emulator.cognito;

import java.util.Map;

/** One challenge that RespondToAuthChallenge answers; registered in {@link Authentication}. */
interface AuthChallenge {

    /** The {@code ChallengeName}. */
    String name();

    /**
     * @param session the request's {@code Session}, nullable
     * @param responses the request's {@code ChallengeResponses}, never null
     */
    AuthResult respond(AppClient client, String session, Map<String, String> responses);
}
