package io.fleetprov.protocol.event;

import io.fleetprov.protocol.crypto.P256;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;

/**
 * The ECDSA of ES256 (P-256, SHA-256; RFC 7518 §3.4: the signature is R and S, 32 bytes each) on BouncyCastle's
 * dedicated P-256 arithmetic. The JDK 17's pure-Java P-256 verifies a few hundred signatures a second per core, which
 * held audit ingest far below the database's rate; this is about ten times faster. A key is converted once and kept
 * ({@link Verifying}), so the multiples BouncyCastle precomputes for a public point are computed once per trusted key,
 * not once per event. Nonces are deterministic (RFC 6979), so signing needs no random source.
 */
final class Es256 {

    /** The length of an ES256 signature: R and S as 32-byte big-endian integers. */
    static final int SIGNATURE_LENGTH = 64;

    private static final int HALF = SIGNATURE_LENGTH / 2;
    private static final ECDomainParameters DOMAIN = P256.DOMAIN;

    private Es256() {}

    /** A trusted public key, ready to verify with; safe to share between threads. */
    record Verifying(ECPublicKeyParameters key) {}

    /** A private key, ready to sign with; safe to share between threads. */
    record Signing(ECPrivateKeyParameters key) {}

    static Verifying verifying(PublicKey key) {
        if (!(key instanceof ECPublicKey ec) || !P256.isP256(ec.getParams())) {
            throw new IllegalArgumentException("the key is not an EC P-256 public key");
        }
        // Throws for a point that is not on the curve, or is the point at infinity.
        ECPoint point = DOMAIN.getCurve()
                .validatePoint(ec.getW().getAffineX(), ec.getW().getAffineY());
        return new Verifying(new ECPublicKeyParameters(point, DOMAIN));
    }

    /** The public half of {@code key}: Q = d·G. */
    static Verifying verifying(Signing key) {
        ECPoint q = DOMAIN.getG().multiply(key.key().getD()).normalize();
        return new Verifying(new ECPublicKeyParameters(q, DOMAIN));
    }

    static Signing signing(PrivateKey key) {
        if (!(key instanceof ECPrivateKey ec) || !P256.isP256(ec.getParams())) {
            throw new IllegalArgumentException("the key is not an EC P-256 private key");
        }
        return new Signing(new ECPrivateKeyParameters(ec.getS(), DOMAIN));
    }

    /** R ‖ S of {@code input}'s SHA-256. */
    static byte[] sign(Signing key, byte[] input) {
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, key.key());
        BigInteger[] rs = signer.generateSignature(sha256(input));
        byte[] signature = new byte[SIGNATURE_LENGTH];
        BigIntegers.asUnsignedByteArray(rs[0], signature, 0, HALF);
        BigIntegers.asUnsignedByteArray(rs[1], signature, HALF, HALF);
        return signature;
    }

    /** Whether {@code signature} (R ‖ S, exactly 64 bytes) is {@code key}'s over {@code input}. */
    static boolean verify(Verifying key, byte[] input, byte[] signature) {
        if (signature.length != SIGNATURE_LENGTH) {
            return false;
        }
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, HALF));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, HALF, SIGNATURE_LENGTH));
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, key.key());
        // Refuses R or S outside [1, n-1] itself.
        return verifier.verifySignature(sha256(input), r, s);
    }

    private static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
