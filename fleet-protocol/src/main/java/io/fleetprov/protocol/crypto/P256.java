package io.fleetprov.protocol.crypto;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.SecureRandom;
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
 * P-256 key pairs on Bouncy Castle's dedicated P-256 arithmetic and precomputed comb for the generator point, several
 * times as fast as JDK 17's pure-Java SunEC (the emulator takes a pair for every claim and every
 * CreateKeysAndCertificate, the simulator one per device). Bouncy Castle is called directly, never registered as a
 * provider; the pair leaves as the JDK's own key objects on the JDK's named-curve parameters, so certificates, TLS
 * engines, PKCS#8 and JCA signatures take them exactly as the JDK generator's.
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
        ECKeyPairGenerator generator = new ECKeyPairGenerator();
        generator.init(new ECKeyGenerationParameters(DOMAIN, RANDOM));
        AsymmetricCipherKeyPair pair = generator.generateKeyPair();
        org.bouncycastle.math.ec.ECPoint q =
                ((ECPublicKeyParameters) pair.getPublic()).getQ().normalize();
        BigInteger d = ((ECPrivateKeyParameters) pair.getPrivate()).getD();
        try {
            KeyFactory factory = KeyFactory.getInstance("EC");
            return new KeyPair(
                    factory.generatePublic(new ECPublicKeySpec(
                            new ECPoint(
                                    q.getAffineXCoord().toBigInteger(),
                                    q.getAffineYCoord().toBigInteger()),
                            JDK_PARAMETERS)),
                    factory.generatePrivate(new ECPrivateKeySpec(d, JDK_PARAMETERS)));
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
