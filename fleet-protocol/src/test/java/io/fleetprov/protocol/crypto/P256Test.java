package io.fleetprov.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import org.junit.jupiter.api.Test;

/** Keys from {@link P256} are ordinary JDK P-256 keys: they sign, verify and round-trip as the JDK's own. */
class P256Test {

    @Test
    void aPairSignsWithTheJdkAndSurvivesItsEncodings() throws Exception {
        KeyPair pair = P256.generate();
        byte[] data = "claim".getBytes(StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(pair.getPrivate());
        signer.update(data);
        byte[] signature = signer.sign();

        KeyFactory ec = KeyFactory.getInstance("EC");
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(
                ec.generatePublic(new X509EncodedKeySpec(pair.getPublic().getEncoded())));
        verifier.update(data);
        assertThat(verifier.verify(signature)).isTrue();
        assertThat(ec.generatePrivate(new PKCS8EncodedKeySpec(pair.getPrivate().getEncoded())))
                .isEqualTo(pair.getPrivate());
        assertThat(P256.generate().getPublic()).isNotEqualTo(pair.getPublic());
    }

    @Test
    void theJdksP256IsRecognisedAndOtherCurvesAreNot() throws Exception {
        KeyPairGenerator jdk = KeyPairGenerator.getInstance("EC");
        jdk.initialize(new ECGenParameterSpec("secp256r1"));
        assertThat(P256.isP256(((ECPublicKey) jdk.generateKeyPair().getPublic()).getParams()))
                .isTrue();
        assertThat(P256.isP256(((ECPrivateKey) P256.generate().getPrivate()).getParams()))
                .isTrue();
        jdk.initialize(new ECGenParameterSpec("secp384r1"));
        assertThat(P256.isP256(((ECPublicKey) jdk.generateKeyPair().getPublic()).getParams()))
                .isFalse();
    }
}
