package io.fleetprov.emulator.ca;

import java.security.PrivateKey;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Picks the SHA-256 signature that matches a key, using the JDK's providers (no global BouncyCastle registration). */
final class Signing {
    private Signing() {}

    static ContentSigner signer(PrivateKey key) throws OperatorCreationException {
        return new JcaContentSignerBuilder(algorithmFor(key)).build(key);
    }

    private static String algorithmFor(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> throw new IllegalArgumentException("unsupported key type for signing: " + key.getAlgorithm());
        };
    }
}
