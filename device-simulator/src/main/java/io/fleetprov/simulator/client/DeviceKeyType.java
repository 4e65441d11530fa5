package io.fleetprov.simulator.client;

import io.fleetprov.protocol.crypto.P256;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;

/** The key a device generates in CSR mode; AWS IoT accepts both for CreateCertificateFromCsr. */
public enum DeviceKeyType {
    EC_P256("EC", new ECGenParameterSpec("secp256r1"), "SHA256withECDSA"),
    RSA_2048("RSA", new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4), "SHA256withRSA");

    private final String jcaName;
    private final AlgorithmParameterSpec spec;
    private final String signatureAlgorithm;

    DeviceKeyType(String jcaName, AlgorithmParameterSpec spec, String signatureAlgorithm) {
        this.jcaName = jcaName;
        this.spec = spec;
        this.signatureAlgorithm = signatureAlgorithm;
    }

    public KeyPair generate() {
        if (this == EC_P256) {
            // AWS-LC's or Bouncy Castle's P-256, several times cheaper than the JDK's (P256).
            return P256.generate();
        }
        return generateWithJdk();
    }

    private KeyPair generateWithJdk() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(jcaName);
            generator.initialize(spec);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            // Both are mandatory in every Java 17 runtime; failing here means a broken JDK.
            throw new IllegalStateException("cannot generate a " + this + " key pair", e);
        }
    }

    String signatureAlgorithm() {
        return signatureAlgorithm;
    }
}
