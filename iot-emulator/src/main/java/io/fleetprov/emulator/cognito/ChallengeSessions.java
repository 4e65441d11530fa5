package io.fleetprov.emulator.cognito;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code Session} values of challenges in progress: each ties the answer to the client and user that were
 * challenged, may be used once, and expires. Thread-safe.
 */
final class ChallengeSessions {

    /** Cognito's auth-session lifetime for answering a challenge. */
    static final Duration VALIDITY = Duration.ofMinutes(3);

    private final Clock clock;
    private final RandomStrings random;
    // Keyed by a digest of the session, so the live sessions themselves are not kept in memory.
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    ChallengeSessions(Clock clock, RandomStrings random) {
        this.clock = clock;
        this.random = random;
    }

    /** @return the session to send with the challenge */
    String open(AppClient client, String username) {
        String session = random.token(96);
        pending.put(
                RandomStrings.digest(session),
                new Pending(client.clientId(), username, clock.instant().plus(VALIDITY)));
        return session;
    }

    /** Uses up the session of an answer; fails as Cognito does unless it was opened for this client and user. */
    void take(String session, AppClient client, String username) {
        Pending opened = session == null ? null : pending.remove(RandomStrings.digest(session));
        if (opened == null
                || !opened.clientId().equals(client.clientId())
                || !opened.username().equals(username)) {
            throw CognitoException.notAuthorized("Invalid session for the user.");
        }
        if (!clock.instant().isBefore(opened.expiresAt())) {
            throw CognitoException.notAuthorized("Invalid session for the user, session is expired.");
        }
    }

    private record Pending(String clientId, String username, Instant expiresAt) {}
}
