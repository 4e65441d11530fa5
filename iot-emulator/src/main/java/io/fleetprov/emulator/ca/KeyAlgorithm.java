package io.fleetprov.emulator.ca;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAKeyGenParameterSpec;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;

/** The key types the emulator generates; the same two AWS IoT hands out. */
public enum KeyAlgorithm {
    RSA_2048("RSA", new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4)),
    EC_P256("EC", new ECGenParameterSpec("secp256r1"));

    private final String jcaName;
    private final AlgorithmParameterSpec spec;

    KeyAlgorithm(String jcaName, AlgorithmParameterSpec spec) {
        this.jcaName = jcaName;
        this.spec = spec;
    }

    /**
     * A fresh key pair as the JDK's own key objects, so every consumer (certificates, TLS, PEM, JCA signatures) sees
     * what the JDK's generator would give and no global provider registration is needed. P-256's arithmetic is Bouncy
     * Castle's (see {@link P256}); RSA's is the JDK's.
     */
    public KeyPair generate() {
        if (this == EC_P256) {
            return P256.generate();
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(jcaName);
            generator.initialize(spec);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            // Both algorithms are mandatory in every Java 17 runtime; reaching this means a broken JDK.
            throw new IllegalStateException("cannot generate a " + this + " key pair", e);
        }
    }

    /**
     * P-256 key generation with Bouncy Castle's P-256 field arithmetic and its precomputed comb for the generator
     * point, several times as fast as JDK 17's pure-Java SunEC ({@code ./fleetprov emulator crypto-bench}); every
     * CreateProvisioningClaim and CreateKeysAndCertificate takes one pair. Bouncy Castle is called directly (its
     * lightweight API), not as a provider, and the result is handed over as the JDK's key objects on the JDK's own
     * named-curve parameters, so the keys are indistinguishable from the JDK generator's.
     */
    private static final class P256 {
        private static final ECNamedDomainParameters DOMAIN = new ECNamedDomainParameters(
                SECObjectIdentifiers.secp256r1, CustomNamedCurves.getByOID(SECObjectIdentifiers.secp256r1));
        /** Thread-safe; the JDK's default, as its own key pair generator uses. */
        private static final SecureRandom RANDOM = new SecureRandom();

        private static final ECParameterSpec JDK_PARAMETERS = jdkParameters();

        private P256() {}

        static KeyPair generate() {
            ECKeyPairGenerator generator = new ECKeyPairGenerator();
            generator.init(new ECKeyGenerationParameters(DOMAIN, RANDOM));
            AsymmetricCipherKeyPair pair = generator.generateKeyPair();
            // ECPublicKeyParameters holds the point normalised (affine) and checked to be on the curve.
            org.bouncycastle.math.ec.ECPoint q = ((ECPublicKeyParameters) pair.getPublic()).getQ();
            ECPoint w = new ECPoint(
                    q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
            try {
                KeyFactory factory = KeyFactory.getInstance("EC");
                return new KeyPair(
                        factory.generatePublic(new ECPublicKeySpec(w, JDK_PARAMETERS)),
                        factory.generatePrivate(new ECPrivateKeySpec(
                                ((ECPrivateKeyParameters) pair.getPrivate()).getD(), JDK_PARAMETERS)));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot represent a P-256 key pair as JDK keys", e);
            }
        }

        private static ECParameterSpec jdkParameters() {
            try {
                AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
                parameters.init(new ECGenParameterSpec("secp256r1"));
                return parameters.getParameterSpec(ECParameterSpec.class);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK does not know secp256r1", e);
            }
        }
    }
}
