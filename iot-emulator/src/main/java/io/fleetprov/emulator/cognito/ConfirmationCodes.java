package io.fleetprov.emulator.cognito;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The 6-digit codes Cognito sends by mail or SMS (sign-up confirmation, password reset), one per user at a time: a
 * new code replaces the last; a code is used once, expires, and is dropped after {@link #MAX_ATTEMPTS} wrong guesses.
 * Only digests are kept. Thread-safe.
 */
final class ConfirmationCodes {

    static final int MAX_ATTEMPTS = 5;

    private final Duration validity;
    private final Clock clock;
    private final SecureRandom random;
    private final Map<String, PendingCode> codes = new ConcurrentHashMap<>();

    ConfirmationCodes(Duration validity, Clock clock, SecureRandom random) {
        this.validity = validity;
        this.clock = clock;
        this.random = random;
    }

    /** @return the new code, to be delivered (by the emulator: logged) */
    String issue(String userPoolId, String username) {
        String code = String.format("%06d", random.nextInt(1_000_000));
        codes.put(
                key(userPoolId, username),
                new PendingCode(RandomStrings.digest(code), clock.instant().plus(validity), 0));
        return code;
    }

    /** Uses up the code, or fails with Cognito's error for a wrong, expired or exhausted one. */
    void consume(String userPoolId, String username, String code) {
        String key = key(userPoolId, username);
        PendingCode pending = codes.get(key);
        if (pending == null || !clock.instant().isBefore(pending.expiresAt())) {
            codes.remove(key);
            throw expired();
        }
        boolean matches = MessageDigest.isEqual(
                pending.codeDigest().getBytes(StandardCharsets.UTF_8),
                RandomStrings.digest(code).getBytes(StandardCharsets.UTF_8));
        if (!matches) {
            // Counted atomically, so that parallel guesses cannot get more than MAX_ATTEMPTS between them.
            int[] attempts = {MAX_ATTEMPTS};
            codes.computeIfPresent(key, (k, current) -> {
                PendingCode counted = current.failedOnce();
                attempts[0] = counted.attempts();
                return counted.attempts() >= MAX_ATTEMPTS ? null : counted;
            });
            if (attempts[0] >= MAX_ATTEMPTS) {
                throw new CognitoException(
                        "LimitExceededException", 400, "Attempt limit exceeded, please try after some time.");
            }
            throw new CognitoException(
                    "CodeMismatchException", 400, "Invalid verification code provided, please try again.");
        }
        boolean[] used = {false};
        codes.computeIfPresent(key, (k, current) -> {
            // Still this code (wrong guesses in between only counted attempts): use it up.
            used[0] = current.codeDigest().equals(pending.codeDigest());
            return used[0] ? null : current;
        });
        if (!used[0]) {
            // Another request used or replaced the code meanwhile.
            throw expired();
        }
    }

    private static CognitoException expired() {
        return new CognitoException("ExpiredCodeException", 400, "Invalid code provided, please request a code again.");
    }

    private static String key(String userPoolId, String username) {
        return userPoolId + "\u0000" + username;
    }

    private record PendingCode(String codeDigest, Instant expiresAt, int attempts) {
        PendingCode failedOnce() {
            return new PendingCode(codeDigest, expiresAt, attempts + 1);
        }

        @Override
        public String toString() {
            return "PendingCode[expiresAt=" + expiresAt + "]";
        }
    }
}
