package io.fleetprov.emulator.cognito.hostedui;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hosted UI's sign-in sessions, carried by the {@code cognito} cookie: while one is valid, a new authorization
 * request of the same user pool gets its code without the form, as at Cognito's hosted UI (one hour). Thread-safe.
 */
public final class HostedUiSessions {

    /** Cognito's hosted-UI session cookie lasts one hour. */
    public static final Duration VALIDITY = Duration.ofHours(1);

    public static final String COOKIE = "cognito";

    public record Session(String userPoolId, String username, Instant authTime, Instant expiresAt) {}

    private final Clock clock;
    private final SecureRandom random;
    // Keyed by a digest of the cookie value, so the live values themselves are not kept in memory.
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    public HostedUiSessions(Clock clock, SecureRandom random) {
        this.clock = clock;
        this.random = random;
    }

    /** @return the cookie value */
    public String open(String userPoolId, String username) {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> !now.isBefore(s.expiresAt()));
        String value = OpaqueValues.random(random);
        sessions.put(OpaqueValues.digest(value), new Session(userPoolId, username, now, now.plus(VALIDITY)));
        return value;
    }

    /** The live session of this cookie value for this pool; sessions of other pools do not count. */
    public Optional<Session> find(String cookieValue, String userPoolId) {
        if (cookieValue == null) {
            return Optional.empty();
        }
        Session session = sessions.get(OpaqueValues.digest(cookieValue));
        if (session == null
                || !session.userPoolId().equals(userPoolId)
                || !clock.instant().isBefore(session.expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(session);
    }

    public void close(String cookieValue) {
        if (cookieValue != null) {
            sessions.remove(OpaqueValues.digest(cookieValue));
        }
    }
}
