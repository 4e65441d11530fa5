package io.fleetprov.emulator.ca;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * P-256 pairs come from Bouncy Castle's arithmetic but must be, for everything that uses them, what the JDK's own
 * generator gives: the JDK's key classes, the same encodings, usable with the JDK's signatures.
 */
class KeyAlgorithmTest {

    @Test
    void p256PairsAreTheJdksKeyObjectsWithTheJdksEncodings() throws Exception {
        KeyPairGenerator jdk = KeyPairGenerator.getInstance("EC");
        jdk.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair reference = jdk.generateKeyPair();

        KeyPair pair = KeyAlgorithm.EC_P256.generate();

        assertThat(pair.getPublic().getClass()).isEqualTo(reference.getPublic().getClass());
        assertThat(pair.getPrivate().getClass())
                .isEqualTo(reference.getPrivate().getClass());
        assertThat(((ECPublicKey) pair.getPublic()).getParams())
                .hasToString(((ECPublicKey) reference.getPublic()).getParams().toString());
        // Same algorithm identifier (id-ecPublicKey + secp256r1) in both encodings, so same lengths and prefixes.
        byte[] publicDer = pair.getPublic().getEncoded();
        byte[] referenceDer = reference.getPublic().getEncoded();
        assertThat(publicDer).hasSameSizeAs(referenceDer);
        assertThat(prefix(publicDer, 27)).isEqualTo(prefix(referenceDer, 27));
        assertThat(pair.getPrivate().getEncoded())
                .hasSameSizeAs(reference.getPrivate().getEncoded());
        KeyFactory factory = KeyFactory.getInstance("EC");
        assertThat(factory.generatePublic(new X509EncodedKeySpec(publicDer))).isEqualTo(pair.getPublic());
        assertThat(factory.generatePrivate(
                        new PKCS8EncodedKeySpec(pair.getPrivate().getEncoded())))
                .isEqualTo(pair.getPrivate());
    }

    @Test
    void p256PairsMatchAndSignWithTheJdksSignatures() throws Exception {
        Set<Object> scalars = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            KeyPair pair = KeyAlgorithm.EC_P256.generate();
            assertThat(scalars.add(((ECPrivateKey) pair.getPrivate()).getS())).isTrue();
            byte[] data = ("payload " + i).getBytes();
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(pair.getPrivate());
            signer.update(data);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(pair.getPublic());
            verifier.update(data);
            assertThat(verifier.verify(signature))
                    .as("the public key is the private key's")
                    .isTrue();
        }
    }

    private static byte[] prefix(byte[] bytes, int length) {
        return java.util.Arrays.copyOf(bytes, length);
    }
}
