package io.fleetprov.emulator.ca;

import io.fleetprov.protocol.crypto.AwsLc;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Picks the SHA-256 signature that matches a key, and who computes it: AWS-LC where it loads ({@link AwsLc}; P-256
 * signing at OpenSSL's speed), else Bouncy Castle's provider, whose P-256 signs about twice and verifies about four
 * times as fast as JDK 17's pure-Java SunEC ({@code ./fleetprov emulator crypto-bench}). Every claim and device
 * certificate is signed here. Providers are used by reference, never registered globally, so nothing else in the
 * process changes provider.
 */
final class Signing {
    /** One instance: building the provider costs tens of milliseconds; it is thread-safe once built. */
    static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();

    /** The provider certificates are signed with. */
    static final Provider SIGNER = AwsLc.provider().orElse(BOUNCY_CASTLE);

    private Signing() {}

    /**
     * The same key as the signing provider's own object, for a key that signs many times (the CA's): AWS-LC otherwise
     * converts a JDK key at every signature, half of what signing costs; Bouncy Castle rebuilds a generic curve from
     * the key's parameters, where with its own object it uses its P-256 implementation and the generator's
     * precomputed table, over three times as fast again. The key as given when the provider cannot translate it.
     */
    static PrivateKey forRepeatedSigning(PrivateKey key) {
        try {
            return (PrivateKey)
                    KeyFactory.getInstance(key.getAlgorithm(), SIGNER).translateKey(key);
        } catch (GeneralSecurityException e) {
            return key;
        }
    }

    static ContentSigner signer(PrivateKey key) throws OperatorCreationException {
        return new JcaContentSignerBuilder(algorithmFor(key))
                .setProvider(SIGNER)
                .build(key);
    }

    private static String algorithmFor(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> throw new IllegalArgumentException("unsupported key type for signing: " + key.getAlgorithm());
        };
    }
}
