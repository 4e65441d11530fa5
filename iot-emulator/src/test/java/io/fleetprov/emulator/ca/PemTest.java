package io.fleetprov.emulator.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemTest {

    @Test
    void rsaPrivateKeyIsPkcs1AndRoundTrips() throws Exception {
        KeyPair pair = TestKeys.RSA_2048;

        String pem = Pem.privateKey(pair.getPrivate());

        assertThat(pem).startsWith("-----BEGIN RSA PRIVATE KEY-----\n").endsWith("-----END RSA PRIVATE KEY-----\n");
        // PKCS#1 RSAPrivateKey is a bare SEQUENCE of nine items (version, n, e, d, p, q, dp, dq, qinv), no algorithm
        // id.
        assertThat(ASN1Sequence.getInstance(body(pem))).hasSize(9);
        PrivateKey parsed = Pem.parsePrivateKey(pem);
        assertThat(parsed).isInstanceOf(RSAPrivateCrtKey.class);
        assertThat(((RSAPrivateCrtKey) parsed).getPrivateExponent())
                .isEqualTo(((RSAPrivateCrtKey) pair.getPrivate()).getPrivateExponent());
        assertThat(signsFor(parsed, pair.getPublic(), "SHA256withRSA")).isTrue();
    }

    @Test
    void ecPrivateKeyIsSec1WithCurveAndRoundTrips() throws Exception {
        KeyPair pair = KeyAlgorithm.EC_P256.generate();

        String pem = Pem.privateKey(pair.getPrivate());

        assertThat(pem).startsWith("-----BEGIN EC PRIVATE KEY-----\n").endsWith("-----END EC PRIVATE KEY-----\n");
        org.bouncycastle.asn1.sec.ECPrivateKey sec1 = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(body(pem));
        assertThat(sec1.getParametersObject()).isEqualTo(SECObjectIdentifiers.secp256r1);
        assertThat(sec1.getPublicKey())
                .as("public point, which OpenSSL writes too")
                .isNotNull();
        PrivateKey parsed = Pem.parsePrivateKey(pem);
        assertThat(((ECPrivateKey) parsed).getS()).isEqualTo(((ECPrivateKey) pair.getPrivate()).getS());
        assertThat(signsFor(parsed, pair.getPublic(), "SHA256withECDSA")).isTrue();
    }

    /**
     * The pair's public point, as CreateProvisioningClaim and CreateKeysAndCertificate now encode it, gives the same
     * bytes as the point recomputed from the private scalar (what every EC key PEM used to be), for pairs from this
     * emulator's generator and from the JDK's own.
     */
    @Test
    void ecPrivateKeyFromThePairIsByteIdenticalToTheRecomputedOne() throws Exception {
        KeyPairGenerator jdk = KeyPairGenerator.getInstance("EC");
        jdk.initialize(new ECGenParameterSpec("secp256r1"));
        for (int i = 0; i < 20; i++) {
            KeyPair pair = i % 2 == 0 ? KeyAlgorithm.EC_P256.generate() : jdk.generateKeyPair();

            assertThat(Pem.privateKey(pair)).isEqualTo(Pem.privateKey(pair.getPrivate()));
        }
    }

    @Test
    void rsaPrivateKeyFromThePairIsTheSame() {
        assertThat(Pem.privateKey(TestKeys.RSA_2048)).isEqualTo(Pem.privateKey(TestKeys.RSA_2048.getPrivate()));
    }

    /** OpenSSL, which the AWS IoT Device SDK's TLS reads keys with, finds the key valid and its public key the pair's. */
    @Test
    void opensslAcceptsTheEcPrivateKeyAndDerivesThePairsPublicKey(@TempDir Path dir) throws Exception {
        assumeTrue(opensslAvailable(), "openssl is not on the PATH");
        KeyPair pair = KeyAlgorithm.EC_P256.generate();
        Path keyFile = dir.resolve("key.pem");
        Files.writeString(keyFile, Pem.privateKey(pair));

        assertThat(openssl(dir, "ec", "-in", keyFile.toString(), "-check", "-noout")
                        .err())
                .contains("EC Key valid");
        assertThat(openssl(dir, "ec", "-in", keyFile.toString(), "-pubout").out())
                .isEqualTo(Pem.publicKey(pair.getPublic()));
    }

    @Test
    void parsesPkcs8PrivateKeys() throws Exception {
        KeyPair pair = KeyAlgorithm.EC_P256.generate();
        String pkcs8 = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes())
                        .encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";

        assertThat(signsFor(Pem.parsePrivateKey(pkcs8), pair.getPublic(), "SHA256withECDSA"))
                .isTrue();
    }

    @Test
    void publicKeyIsSubjectPublicKeyInfo() throws Exception {
        PublicKey key = KeyAlgorithm.EC_P256.generate().getPublic();

        String pem = Pem.publicKey(key);

        assertThat(pem).startsWith("-----BEGIN PUBLIC KEY-----\n");
        assertThat(KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(body(pem))))
                .isEqualTo(key);
    }

    @Test
    void certificateRoundTrips() {
        X509Certificate certificate =
                CertificateAuthority.ephemeral(Clock.systemUTC()).certificate();

        String pem = Pem.certificate(certificate);

        assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("-----END CERTIFICATE-----\n");
        assertThat(pem.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(64));
        assertThat(Pem.parseCertificate(pem)).isEqualTo(certificate);
    }

    @Test
    void csrHasTheRequestHeader() throws Exception {
        String pem = CsrBuilder.build(KeyAlgorithm.EC_P256.generate(), "device-1");
        PKCS10CertificationRequest csr = new PKCS10CertificationRequest(body(pem));

        assertThat(Pem.csr(csr)).isEqualTo(pem).startsWith("-----BEGIN CERTIFICATE REQUEST-----\n");
    }

    @Test
    void refusesWhatIsNotACertificateWithAClearMessage() {
        assertThatThrownBy(() -> Pem.parseCertificate("hello"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not PEM");
        assertThatThrownBy(() -> Pem.parseCertificate(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
        String keyPem = Pem.privateKey(KeyAlgorithm.EC_P256.generate().getPrivate());
        assertThatThrownBy(() -> Pem.parseCertificate(keyPem))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected a PEM certificate");
        assertThatThrownBy(() -> Pem.parseCertificate("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("malformed PEM certificate");
    }

    @Test
    void refusesWhatIsNotAPrivateKeyWithAClearMessage() {
        String certificatePem =
                CertificateAuthority.ephemeral(Clock.systemUTC()).certificatePem();

        assertThatThrownBy(() -> Pem.parsePrivateKey(certificatePem))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected a PEM private key");
        assertThatThrownBy(() -> Pem.parsePrivateKey("garbage"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not PEM");
    }

    private static boolean opensslAvailable() {
        try {
            return new ProcessBuilder("openssl", "version").start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** What openssl printed: standard output, then standard error. */
    private record Run(String out, String err) {}

    /** Runs openssl in {@code dir}; fails the test on a non-zero exit. */
    private static Run openssl(Path dir, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(arguments));
        Path err = Files.createTempFile(dir, "openssl", ".err");
        Process process =
                new ProcessBuilder(command).redirectError(err.toFile()).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        Run run = new Run(out, Files.readString(err));
        assertThat(exit).as("openssl %s: %s", command, run).isZero();
        return run;
    }

    private static byte[] body(String pem) {
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(base64);
    }

    private static boolean signsFor(PrivateKey key, PublicKey publicKey, String algorithm)
            throws GeneralSecurityException {
        byte[] data = "payload".getBytes();
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(data);
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(publicKey);
        verifier.update(data);
        return verifier.verify(signer.sign());
    }
}
