package io.fleetprov.simulator.client;

import io.fleetprov.protocol.crypto.P256;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcECContentSignerBuilder;

/**
 * A device's CSR signature on Bouncy Castle's dedicated P-256 arithmetic (used by reference, never registered as a
 * provider), for keys from {@link P256}. JDK 17's pure-Java P-256 made key generation and CSR signing about a fifth
 * of the simulator's CPU; Bouncy Castle's fixed-base multiplication does each several times faster (machine-limit's
 * t2).
 */
public final class DeviceP256 {

    private static final AlgorithmIdentifier SHA256_WITH_ECDSA =
            new DefaultSignatureAlgorithmIdentifierFinder().find("SHA256withECDSA");
    private static final AlgorithmIdentifier SHA256 =
            new DefaultDigestAlgorithmIdentifierFinder().find(SHA256_WITH_ECDSA);
    private static final SecureRandom RANDOM = new SecureRandom();

    private DeviceP256() {}

    /** Whether {@code key} is a P-256 key this class can sign with; other keys keep the JCA signature. */
    public static boolean accepts(PrivateKey key) {
        return key instanceof ECPrivateKey ec && P256.isP256(ec.getParams());
    }

    /** SHA256withECDSA by {@code key} (a key {@link #accepts} accepts), DER-encoded as in a CSR. */
    public static ContentSigner signer(PrivateKey key) throws OperatorCreationException {
        return new BcECContentSignerBuilder(SHA256_WITH_ECDSA, SHA256)
                .setSecureRandom(RANDOM)
                .build(new ECPrivateKeyParameters(((ECPrivateKey) key).getS(), P256.DOMAIN));
    }
}
