package io.fleetprov.emulator.ca;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Picks the SHA-256 signature that matches a key, computed by Bouncy Castle's provider: its P-256 signs about twice
 * and verifies about four times as fast as JDK 17's pure-Java SunEC ({@code ./fleetprov emulator crypto-bench}), and
 * every claim and device certificate is signed here and every CSR verified. The provider is used by reference, never
 * registered globally, so nothing else in the process changes provider.
 */
final class Signing {
    /** One instance: building the provider costs tens of milliseconds; it is thread-safe once built. */
    static final Provider PROVIDER = new BouncyCastleProvider();

    private Signing() {}

    /**
     * The same key as Bouncy Castle's own object, for a key that signs many times (the CA's): with a JDK key, Bouncy
     * Castle rebuilds a generic curve from the key's parameters at every signature; with its own, it uses its P-256
     * implementation and the generator's precomputed table, over three times as fast again. The key as given when
     * Bouncy Castle cannot translate it.
     */
    static PrivateKey forRepeatedSigning(PrivateKey key) {
        try {
            return (PrivateKey)
                    KeyFactory.getInstance(key.getAlgorithm(), PROVIDER).translateKey(key);
        } catch (GeneralSecurityException e) {
            return key;
        }
    }

    static ContentSigner signer(PrivateKey key) throws OperatorCreationException {
        return new JcaContentSignerBuilder(algorithmFor(key))
                .setProvider(PROVIDER)
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
