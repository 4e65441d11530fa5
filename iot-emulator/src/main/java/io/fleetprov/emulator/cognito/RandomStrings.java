package io.fleetprov.emulator.cognito;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** Random ids, passwords and opaque tokens, and the digest opaque tokens are kept under. */
final class RandomStrings {

    static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    static final String LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final SecureRandom random;

    RandomStrings(SecureRandom random) {
        this.random = random;
    }

    String of(String alphabet, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /** An opaque bearer value (session, refresh token) of {@code bytes} random bytes, base64url. */
    String token(int bytes) {
        byte[] buf = new byte[bytes];
        random.nextBytes(buf);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buf);
    }

    /** Opaque tokens are kept under this SHA-256, so the live tokens themselves are not kept in memory. */
    static String digest(String token) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
