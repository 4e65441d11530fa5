package io.fleetprov.emulator.ca;

import io.fleetprov.protocol.crypto.P256;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;

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
}
