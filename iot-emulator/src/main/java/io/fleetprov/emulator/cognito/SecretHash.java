package io.fleetprov.emulator.cognito;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Cognito's {@code SECRET_HASH}: Base64(HMAC-SHA256(key = client secret, message = username + client id)). Requests
 * for a client with a secret must carry it; for clients without one it is ignored, as Cognito ignores it.
 */
final class SecretHash {

    static final String PARAMETER = "SECRET_HASH";

    private SecretHash() {}

    static String of(String clientSecret, String username, String clientId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(clientSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((username + clientId).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java runtime", e);
        }
    }

    /** Checks the {@code SECRET_HASH} entry of AuthParameters or ChallengeResponses. */
    static void check(AppClient client, String username, Map<String, String> parameters) {
        check(client, username, parameters.get(PARAMETER));
    }

    /** Checks a {@code SecretHash} request member (ForgotPassword, ConfirmForgotPassword). */
    static void check(AppClient client, String username, String provided) {
        if (!client.hasSecret()) {
            return;
        }
        if (provided == null) {
            throw CognitoException.notAuthorized(
                    "Client " + client.clientId() + " is configured with secret but SECRET_HASH was not received");
        }
        if (!matches(client, username, provided)) {
            throw CognitoException.notAuthorized("Unable to verify secret hash for client " + client.clientId());
        }
    }

    /** True if {@code provided} is the hash of {@code username} for this client with a secret. */
    static boolean matches(AppClient client, String username, String provided) {
        if (username == null || provided == null) {
            return false;
        }
        byte[] expected = of(client.clientSecret(), username, client.clientId()).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, provided.getBytes(StandardCharsets.UTF_8));
    }
}
