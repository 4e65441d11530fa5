package io.fleetprov.emulator.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetprov.protocol.crypto.AwsLc;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import java.util.stream.Stream;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CsrValidatorTest {

    /** Who checks an EC CSR's signature: AWS-LC where it loads (as here), and Bouncy Castle where it does not. */
    static Stream<Optional<Provider>> ecdsaCheckers() {
        return Stream.of(AwsLc.provider(), Optional.<Provider>empty()).distinct();
    }

    static Stream<Arguments> sha2DigestsByChecker() {
        return ecdsaCheckers()
                .flatMap(checker -> Stream.of("SHA256withECDSA", "SHA384withECDSA", "SHA512withECDSA")
                        .map(algorithm -> Arguments.of(algorithm, checker)));
    }

    @Test
    void acceptsRsa2048() {
        KeyPair pair = TestKeys.RSA_2048;

        PublicKey key = CsrValidator.validate(CsrBuilder.build(pair, "device-rsa"));

        assertThat(key).isEqualTo(pair.getPublic());
    }

    @ParameterizedTest
    @MethodSource("ecdsaCheckers")
    void acceptsEcP256AndP384(Optional<Provider> checker) throws Exception {
        KeyPair p256 = KeyAlgorithm.EC_P256.generate();
        KeyPair p384 = ecPair("secp384r1");

        assertThat(CsrValidator.validate(CsrBuilder.build(p256, "device-p256"), checker))
                .isEqualTo(p256.getPublic());
        assertThat(CsrValidator.validate(CsrBuilder.build(p384, "device-p384"), checker))
                .isEqualTo(p384.getPublic());
    }

    @Test
    void builtCsrCarriesTheCommonNameAndMatchingSignature() throws Exception {
        PKCS10CertificationRequest csr =
                new PKCS10CertificationRequest(der(CsrBuilder.build(KeyAlgorithm.EC_P256.generate(), "a,b+c")));

        assertThat(csr.getSubject()).isEqualTo(CsrBuilder.commonNameOnly("a,b+c"));
        assertThat(csr.getSubject().getRDNs()).hasSize(1);
        assertThat(csr.getSignatureAlgorithm().getAlgorithm().getId())
                .isEqualTo("1.2.840.10045.4.3.2"); // ecdsa-with-SHA256
    }

    @Test
    void refusesRsa1024() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        String csr = CsrBuilder.build(generator.generateKeyPair(), "weak");

        assertThatThrownBy(() -> CsrValidator.validate(csr))
                .isInstanceOf(InvalidCsrException.class)
                .hasMessage("CSR RSA key is 1024 bits; at least 2048 bits are required");
    }

    @Test
    void refusesEcP521() throws Exception {
        String csr = CsrBuilder.build(ecPair("secp521r1"), "p521");

        assertThatThrownBy(() -> CsrValidator.validate(csr))
                .isInstanceOf(InvalidCsrException.class)
                .hasMessageContaining("unsupported curve")
                .hasMessageContaining("only P-256 and P-384");
    }

    @Test
    void refusesSecp256k1() throws Exception {
        // The JDK dropped secp256k1, so this CSR can only be made with BouncyCastle as the provider.
        BouncyCastleProvider bc = new BouncyCastleProvider();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", bc);
        generator.initialize(new ECGenParameterSpec("secp256k1"));
        KeyPair pair = generator.generateKeyPair();
        PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(
                        new X500Name("CN=k1"), pair.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA")
                        .setProvider(bc)
                        .build(pair.getPrivate()));

        assertThatThrownBy(() -> CsrValidator.validate(Pem.csr(request)))
                .isInstanceOf(InvalidCsrException.class)
                .hasMessageContaining("unsupported curve");
    }

    @Test
    void refusesOtherKeyTypes() throws Exception {
        KeyPair ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(
                        new X500Name("CN=ed"), ed25519.getPublic())
                .build(new JcaContentSignerBuilder("Ed25519").build(ed25519.getPrivate()));

        assertThatThrownBy(() -> CsrValidator.validate(Pem.csr(request)))
                .isInstanceOf(InvalidCsrException.class)
                .hasMessageContaining("key type")
                .hasMessageContaining("is not supported");
    }

    @ParameterizedTest
    @MethodSource("ecdsaCheckers")
    void refusesATamperedSignature(Optional<Provider> checker) throws Exception {
        byte[] der = der(CsrBuilder.build(KeyAlgorithm.EC_P256.generate(), "device"));
        // The signature BIT STRING ends the encoding; its last byte is the low byte of the ECDSA s value.
        der[der.length - 1] ^= 0x01;
        String tampered = Pem.csr(new PKCS10CertificationRequest(der));

        assertThatThrownBy(() -> CsrValidator.validate(tampered, checker))
                .isInstanceOf(InvalidCsrException.class)
                .hasMessage("CSR signature does not verify with the CSR's public key");
    }

    @ParameterizedTest
    @MethodSource("ecdsaCheckers")
    void refusesACsrSignedByAnotherKey(Optional<Provider> checker) throws Exception {
        KeyPair claimed = KeyAlgorithm.EC_P256.generate();
        KeyPair signer = KeyAlgorithm.EC_P256.generate();
        PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(
                        new X500Name("CN=x"), claimed.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate()));

        assertThatThrownBy(() -> CsrValidator.validate(Pem.csr(request), checker))
                .isInstanceOf(InvalidCsrException.class)
                .hasMessage("CSR signature does not verify with the CSR's public key");
    }

    /** A garbled signature (not DER at all) is a signature that does not verify, whoever checks it. */
    @ParameterizedTest
    @MethodSource("ecdsaCheckers")
    void refusesASignatureThatIsNotDer(Optional<Provider> checker) throws Exception {
        PKCS10CertificationRequest valid =
                new PKCS10CertificationRequest(der(CsrBuilder.build(KeyAlgorithm.EC_P256.generate(), "device")));
        PKCS10CertificationRequest garbled = new PKCS10CertificationRequest(new CertificationRequest(
                valid.toASN1Structure().getCertificationRequestInfo(),
                valid.getSignatureAlgorithm(),
                new DERBitString(new byte[] {0x30, 0x03, 0x02, 0x01})));

        assertThatThrownBy(() -> CsrValidator.validate(Pem.csr(garbled), checker))
                .isInstanceOf(InvalidCsrException.class)
                .hasMessageStartingWith("CSR signature");
    }

    /** EC CSRs are verified by ECDSA directly, whatever SHA-2 digest the device chose. */
    @ParameterizedTest
    @MethodSource("sha2DigestsByChecker")
    void acceptsEcdsaWithEachSha2Digest(String algorithm, Optional<Provider> checker) throws Exception {
        KeyPair pair = KeyAlgorithm.EC_P256.generate();
        PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(
                        new X500Name("CN=x"), pair.getPublic())
                .build(new JcaContentSignerBuilder(algorithm).build(pair.getPrivate()));

        assertThat(CsrValidator.validate(Pem.csr(request), checker)).isEqualTo(pair.getPublic());
    }

    @ParameterizedTest
    @MethodSource("ecdsaCheckers")
    void refusesAnEcKeyWithAnRsaSignature(Optional<Provider> checker) throws Exception {
        KeyPair claimed = KeyAlgorithm.EC_P256.generate();
        PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(
                        new X500Name("CN=x"), claimed.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(TestKeys.RSA_2048.getPrivate()));

        assertThatThrownBy(() -> CsrValidator.validate(Pem.csr(request), checker))
                .isInstanceOf(InvalidCsrException.class);
    }

    @Test
    void refusesGarbageAndOtherPemWithAClearMessage() {
        String certificatePem =
                CertificateAuthority.ephemeral(Clock.systemUTC()).certificatePem();

        assertThatThrownBy(() -> CsrValidator.validate("this is not a csr"))
                .isInstanceOf(InvalidCsrException.class)
                .hasMessageContaining("not PEM");
        assertThatThrownBy(() -> CsrValidator.validate(""))
                .isInstanceOf(InvalidCsrException.class)
                .hasMessage("CSR is empty");
        assertThatThrownBy(() -> CsrValidator.validate(null))
                .isInstanceOf(InvalidCsrException.class)
                .hasMessage("CSR is empty");
        assertThatThrownBy(() -> CsrValidator.validate(certificatePem))
                .isInstanceOf(InvalidCsrException.class)
                .hasMessageContaining("not a certificate signing request");
        assertThatThrownBy(() -> CsrValidator.validate(
                        "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n"))
                .isInstanceOf(InvalidCsrException.class)
                .hasMessageContaining("not valid PEM");
    }

    private static KeyPair ecPair(String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair();
    }

    private static byte[] der(String pem) {
        return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    }
}
