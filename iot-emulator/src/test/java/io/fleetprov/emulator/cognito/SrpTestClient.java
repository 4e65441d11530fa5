package io.fleetprov.emulator.cognito;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client side of Cognito's SRP, written from amazon-cognito-identity-js's AuthenticationHelper and CognitoUser
 * for the SDK tests: a = random, A = g^a, S = (B − k·g^x)^(a + u·x). Only the public constants come from {@link Srp};
 * the formulas here are the client's, so a wrong server formula cannot agree with them by construction.
 */
final class SrpTestClient {

    private final BigInteger smallA;
    final BigInteger largeA;

    SrpTestClient() {
        byte[] bytes = new byte[128];
        new SecureRandom().nextBytes(bytes);
        smallA = new BigInteger(1, bytes);
        largeA = Srp.G.modPow(smallA, Srp.N);
    }

    String srpA() {
        return largeA.toString(16);
    }

    /** The PASSWORD_VERIFIER ChallengeResponses for the challenge parameters InitiateAuth answered. */
    Map<String, String> answer(String userPoolId, Map<String, String> challenge, String password) {
        return answer(userPoolId, challenge, password, timestamp());
    }

    Map<String, String> answer(String userPoolId, Map<String, String> challenge, String password, String timestamp) {
        String poolName = userPoolId.substring(userPoolId.indexOf('_') + 1);
        String userId = challenge.get("USER_ID_FOR_SRP");
        BigInteger largeB = new BigInteger(challenge.get("SRP_B"), 16);
        BigInteger salt = new BigInteger(challenge.get("SALT"), 16);
        BigInteger k = new BigInteger(1, sha256(Srp.N.toByteArray(), Srp.G.toByteArray()));
        BigInteger u = new BigInteger(1, sha256(largeA.toByteArray(), largeB.toByteArray()));
        byte[] inner = sha256((poolName + userId + ":" + password).getBytes(StandardCharsets.UTF_8));
        BigInteger x = new BigInteger(1, sha256(salt.toByteArray(), inner));
        BigInteger s = largeB.subtract(k.multiply(Srp.G.modPow(x, Srp.N)))
                .modPow(smallA.add(u.multiply(x)), Srp.N)
                .mod(Srp.N);
        byte[] prk = hmac(u.toByteArray(), s.toByteArray());
        byte[] key = Arrays.copyOf(hmac(prk, "Caldera Derived Key\u0001".getBytes(StandardCharsets.UTF_8)), 16);
        byte[] signature = hmac(
                key,
                poolName.getBytes(StandardCharsets.UTF_8),
                userId.getBytes(StandardCharsets.UTF_8),
                Base64.getDecoder().decode(challenge.get("SECRET_BLOCK")),
                timestamp.getBytes(StandardCharsets.UTF_8));
        return Map.of(
                "USERNAME",
                userId,
                "PASSWORD_CLAIM_SECRET_BLOCK",
                challenge.get("SECRET_BLOCK"),
                "TIMESTAMP",
                timestamp,
                "PASSWORD_CLAIM_SIGNATURE",
                Base64.getEncoder().encodeToString(signature));
    }

    static String timestamp() {
        return UserSrpAuthFlow.TIMESTAMP.format(ZonedDateTime.now(ZoneOffset.UTC));
    }

    private static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                digest.update(part);
            }
            return digest.digest();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
