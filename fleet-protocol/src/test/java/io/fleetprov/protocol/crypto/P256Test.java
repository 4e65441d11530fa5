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
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Keys from {@link P256} are ordinary JDK P-256 keys: they sign, verify and round-trip as the JDK's own. */
class P256Test {

    /** The generator in use (AWS-LC here), and Bouncy Castle's, used where AWS-LC does not load. */
    static Stream<Supplier<KeyPair>> generators() {
        return Stream.of(P256::generate, P256::generateOnBouncyCastle);
    }

    @ParameterizedTest
    @MethodSource("generators")
    void aPairSignsWithTheJdkAndSurvivesItsEncodings(Supplier<KeyPair> generator) throws Exception {
        KeyPair pair = generator.get();
        KeyPair jdk = KeyPairGenerator.getInstance("EC").generateKeyPair();
        assertThat(pair.getPublic().getClass()).isEqualTo(jdk.getPublic().getClass());
        assertThat(pair.getPrivate().getClass()).isEqualTo(jdk.getPrivate().getClass());
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
        assertThat(generator.get().getPublic()).isNotEqualTo(pair.getPublic());
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
