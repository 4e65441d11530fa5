package io.fleetprov.simulator.client;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcECContentSignerBuilder;

/**
 * A device's P-256 key pair and its CSR signature on Bouncy Castle's dedicated P-256 arithmetic (used by reference,
 * never registered as a provider). JDK 17's pure-Java P-256 made key generation and CSR signing about a fifth of the
 * simulator's CPU; Bouncy Castle's fixed-base multiplication does each several times faster (machine-limit's t2).
 * Keys leave as ordinary JCA keys: the TLS engines, PKCS#8 and the CSR's public key take them as before.
 */
final class DeviceP256 {

    private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");
    private static final ECDomainParameters DOMAIN =
            new ECDomainParameters(P256.getCurve(), P256.getG(), P256.getN(), P256.getH(), P256.getSeed());
    private static final AlgorithmIdentifier SHA256_WITH_ECDSA =
            new DefaultSignatureAlgorithmIdentifierFinder().find("SHA256withECDSA");
    private static final AlgorithmIdentifier SHA256 =
            new DefaultDigestAlgorithmIdentifierFinder().find(SHA256_WITH_ECDSA);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ECParameterSpec JCA_P256 = jcaP256();

    private DeviceP256() {}

    static KeyPair generate() {
        ECKeyPairGenerator generator = new ECKeyPairGenerator();
        generator.init(new ECKeyGenerationParameters(DOMAIN, RANDOM));
        AsymmetricCipherKeyPair pair = generator.generateKeyPair();
        ECPoint q = ((ECPublicKeyParameters) pair.getPublic()).getQ().normalize();
        BigInteger d = ((ECPrivateKeyParameters) pair.getPrivate()).getD();
        try {
            KeyFactory keys = KeyFactory.getInstance("EC");
            return new KeyPair(
                    keys.generatePublic(new ECPublicKeySpec(
                            new java.security.spec.ECPoint(
                                    q.getAffineXCoord().toBigInteger(),
                                    q.getAffineYCoord().toBigInteger()),
                            JCA_P256)),
                    keys.generatePrivate(new ECPrivateKeySpec(d, JCA_P256)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot wrap a P-256 key pair", e);
        }
    }

    /** Whether {@code key} is a P-256 key this class can sign with; other keys keep the JCA signature. */
    static boolean accepts(PrivateKey key) {
        return key instanceof ECPrivateKey ec
                && ec.getParams().getCurve().equals(JCA_P256.getCurve())
                && ec.getParams().getGenerator().equals(JCA_P256.getGenerator())
                && ec.getParams().getOrder().equals(JCA_P256.getOrder());
    }

    /** SHA256withECDSA by {@code key} (a key {@link #accepts} accepts), DER-encoded as in a CSR. */
    static ContentSigner signer(PrivateKey key) throws OperatorCreationException {
        return new BcECContentSignerBuilder(SHA256_WITH_ECDSA, SHA256)
                .setSecureRandom(RANDOM)
                .build(new ECPrivateKeyParameters(((ECPrivateKey) key).getS(), DOMAIN));
    }

    private static ECParameterSpec jcaP256() {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no P-256 in this JDK", e);
        }
    }
}
