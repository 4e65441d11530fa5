package io.fleetprov.protocol.crypto;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;

/**
 * P-256 key pairs from AWS-LC where it loads ({@link AwsLc}), else on Bouncy Castle's dedicated P-256 arithmetic and
 * precomputed comb for the generator point; either is several times as fast as JDK 17's pure-Java SunEC (the
 * emulator takes a pair for every claim and every CreateKeysAndCertificate, the simulator one per device). Neither is
 * registered as a provider; the pair leaves as the JDK's own key objects on the JDK's named-curve parameters, so
 * certificates, TLS engines, PKCS#8 and JCA signatures take them exactly as the JDK generator's.
 */
public final class P256 {

    private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256r1");

    /** The curve for Bouncy Castle's lightweight API. */
    public static final ECDomainParameters DOMAIN =
            new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH(), CURVE.getSeed());

    /** Thread-safe; the JDK's default source, as its own key pair generator uses. */
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final ECParameterSpec JDK_PARAMETERS = jdkParameters();

    private P256() {}

    public static KeyPair generate() {
        return AwsLc.provider().map(P256::generateOnAwsLc).orElseGet(P256::generateOnBouncyCastle);
    }

    /** AWS-LC's pair (a tenth of Bouncy Castle's cost here), its point and scalar taken over as the JDK's keys. */
    private static KeyPair generateOnAwsLc(Provider awsLc) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", awsLc);
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            return asJdkKeys(((ECPublicKey) pair.getPublic()).getW(), ((ECPrivateKey) pair.getPrivate()).getS());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AWS-LC cannot generate a P-256 key pair", e);
        }
    }

    static KeyPair generateOnBouncyCastle() {
        ECKeyPairGenerator generator = new ECKeyPairGenerator();
        generator.init(new ECKeyGenerationParameters(DOMAIN, RANDOM));
        AsymmetricCipherKeyPair pair = generator.generateKeyPair();
        org.bouncycastle.math.ec.ECPoint q =
                ((ECPublicKeyParameters) pair.getPublic()).getQ().normalize();
        return asJdkKeys(
                new ECPoint(
                        q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()),
                ((ECPrivateKeyParameters) pair.getPrivate()).getD());
    }

    private static KeyPair asJdkKeys(ECPoint w, BigInteger s) {
        try {
            KeyFactory factory = KeyFactory.getInstance("EC");
            return new KeyPair(
                    factory.generatePublic(new ECPublicKeySpec(w, JDK_PARAMETERS)),
                    factory.generatePrivate(new ECPrivateKeySpec(s, JDK_PARAMETERS)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot represent a P-256 key pair as JDK keys", e);
        }
    }

    /** Whether JCA key parameters are P-256's (by value: any provider's spec of the curve counts). */
    public static boolean isP256(ECParameterSpec params) {
        return params.getCurve().equals(JDK_PARAMETERS.getCurve())
                && params.getGenerator().equals(JDK_PARAMETERS.getGenerator())
                && params.getOrder().equals(JDK_PARAMETERS.getOrder());
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
