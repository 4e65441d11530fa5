package io.fleetprov.emulator.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;

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
