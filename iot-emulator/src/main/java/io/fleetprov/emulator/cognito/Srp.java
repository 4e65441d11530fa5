package io.fleetprov.emulator.cognito;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server side of Cognito's SRP-6a, byte for byte as amazon-cognito-identity-js's {@code AuthenticationHelper}
 * computes the client side: the 3072-bit group of RFC 5054 with g = 2, SHA-256, k = H(N | g), u = H(A | B), x =
 * H(salt | H(poolName | userId | ":" | password)), and a 16-byte key from HKDF(S, salt = u, info = "Caldera Derived
 * Key"). Every number is hashed in the library's {@code padHex} form, which is {@link BigInteger#toByteArray()} for
 * non-negative numbers. {@code poolName} is the part of the pool id after its underscore, as the library takes it.
 */
final class Srp {

    static final BigInteger N = new BigInteger(
            "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1"
                    + "29024E088A67CC74020BBEA63B139B22514A08798E3404DD"
                    + "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245"
                    + "E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
                    + "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D"
                    + "C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
                    + "83655D23DCA3AD961C62F356208552BB9ED529077096966D"
                    + "670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
                    + "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9"
                    + "DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
                    + "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64"
                    + "ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
                    + "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6B"
                    + "F12FFA06D98A0864D87602733EC86A64521F2B18177B200C"
                    + "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB31"
                    + "43DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
            16);
    static final BigInteger G = BigInteger.TWO;
    static final BigInteger K = new BigInteger(1, sha256(N.toByteArray(), G.toByteArray()));

    private static final byte[] HKDF_INFO = "Caldera Derived Key\u0001".getBytes(StandardCharsets.UTF_8);
    private static final int SALT_BYTES = 16;
    private static final int PRIVATE_BYTES = 128;

    /** What the emulator keeps of a password for SRP: the salt and v = g^x mod N, never the password itself. */
    record Verifier(BigInteger salt, BigInteger verifier) {

        /** Keeps the values out of logs. */
        @Override
        public String toString() {
            return "Verifier[...]";
        }
    }

    /** One sign-in in progress: the server's private b, public B and what the answer is checked against. */
    record ServerStep(BigInteger smallB, BigInteger largeB) {

        /** Keeps b out of logs. */
        @Override
        public String toString() {
            return "ServerStep[B=...]";
        }
    }

    private Srp() {}

    /** The pool name the library hashes: the part of the pool id after its underscore. */
    static String poolName(String userPoolId) {
        return userPoolId.substring(userPoolId.indexOf('_') + 1);
    }

    static Verifier verifier(String poolName, String userId, char[] password, SecureRandom random) {
        byte[] saltBytes = new byte[SALT_BYTES];
        random.nextBytes(saltBytes);
        return verifier(poolName, userId, password, new BigInteger(1, saltBytes));
    }

    static Verifier verifier(String poolName, String userId, char[] password, BigInteger salt) {
        byte[] secret = utf8(poolName + userId + ":", password);
        try {
            BigInteger x = new BigInteger(1, sha256(salt.toByteArray(), sha256(secret)));
            return new Verifier(salt, G.modPow(x, N));
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    static ServerStep serverStep(Verifier verifier, SecureRandom random) {
        while (true) {
            byte[] bytes = new byte[PRIVATE_BYTES];
            random.nextBytes(bytes);
            ServerStep step = serverStep(verifier, new BigInteger(1, bytes));
            if (step.largeB().signum() != 0) {
                return step;
            }
        }
    }

    /** B = (k·v + g^b) mod N. */
    static ServerStep serverStep(Verifier verifier, BigInteger smallB) {
        BigInteger largeB =
                K.multiply(verifier.verifier()).add(G.modPow(smallB, N)).mod(N);
        return new ServerStep(smallB, largeB);
    }

    /** False for an A that would make the shared secret predictable (A mod N = 0), as SRP-6a requires. */
    static boolean acceptable(BigInteger largeA) {
        return largeA.signum() > 0 && largeA.mod(N).signum() != 0;
    }

    /** The key both sides derive: S = (A·v^u)^b mod N, then HKDF(ikm = S, salt = u); null if u is 0. */
    static byte[] key(BigInteger largeA, Verifier verifier, ServerStep step) {
        BigInteger u =
                new BigInteger(1, sha256(largeA.toByteArray(), step.largeB().toByteArray()));
        if (u.signum() == 0) {
            return null;
        }
        BigInteger s = largeA.multiply(verifier.verifier().modPow(u, N)).modPow(step.smallB(), N);
        byte[] prk = hmac(u.toByteArray(), s.toByteArray());
        return Arrays.copyOf(hmac(prk, HKDF_INFO), 16);
    }

    /** The PASSWORD_CLAIM_SIGNATURE: HMAC(key, poolName | userId | secretBlock | timestamp). */
    static byte[] signature(byte[] key, String poolName, String userId, byte[] secretBlock, String timestamp) {
        return hmac(
                key,
                poolName.getBytes(StandardCharsets.UTF_8),
                userId.getBytes(StandardCharsets.UTF_8),
                secretBlock,
                timestamp.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                digest.update(part);
            }
            return digest.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }

    static byte[] hmac(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java runtime", e);
        }
    }

    private static byte[] utf8(String prefix, char[] password) {
        CharBuffer chars = CharBuffer.allocate(prefix.length() + password.length);
        chars.put(prefix).put(password).flip();
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(chars);
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        Arrays.fill(chars.array(), '\0');
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        return bytes;
    }
}
