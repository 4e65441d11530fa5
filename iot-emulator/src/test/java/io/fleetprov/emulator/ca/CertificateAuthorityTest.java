package io.fleetprov.emulator.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {
    private static final Instant NOW = Instant.parse("2030-06-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final int DNS = 2;
    private static final int IP = 7;

    private final CertificateAuthority ca = CertificateAuthority.ephemeral(CLOCK);

    @Test
    void caCertificateIsASelfSignedTenYearEcCa() throws Exception {
        X509Certificate certificate = ca.certificate();

        assertThat(certificate.getSubjectX500Principal()).isEqualTo(new X500Principal("CN=fleetprov iot-emulator CA"));
        assertThat(certificate.getIssuerX500Principal()).isEqualTo(certificate.getSubjectX500Principal());
        certificate.verify(certificate.getPublicKey());
        assertThat(certificate.getBasicConstraints()).as("CA:true").isEqualTo(Integer.MAX_VALUE);
        assertThat(certificate.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
        boolean[] keyUsage = certificate.getKeyUsage();
        assertThat(keyUsage[5]).as("keyCertSign").isTrue();
        assertThat(keyUsage[6]).as("cRLSign").isTrue();
        assertThat(keyUsage[0]).as("digitalSignature").isFalse();
        assertThat(certificate.getPublicKey()).isInstanceOf(ECPublicKey.class);
        assertThat(((ECPublicKey) certificate.getPublicKey())
                        .getParams()
                        .getCurve()
                        .getField()
                        .getFieldSize())
                .isEqualTo(256);
        assertThat(certificate.getNotBefore().toInstant()).isEqualTo(NOW.minusSeconds(60));
        assertThat(certificate.getNotAfter().toInstant()).isEqualTo(Instant.parse("2040-06-01T12:00:00Z"));
        assertThat(ca.certificatePem()).isEqualTo(Pem.certificate(certificate));
    }

    @Test
    void persistentCaSurvivesARestartWithAPrivateKeyFile(@TempDir Path temp) throws Exception {
        Path dataDir = temp.resolve("not/yet/there");

        CertificateAuthority first = CertificateAuthority.persistent(dataDir, CLOCK);
        CertificateAuthority afterRestart =
                CertificateAuthority.persistent(dataDir, Clock.offset(CLOCK, Duration.ofDays(3)));

        assertThat(afterRestart.certificate()).isEqualTo(first.certificate());
        assertThat(CertificateIds.of(afterRestart.certificate())).isEqualTo(CertificateIds.of(first.certificate()));
        assertThat(Files.readString(dataDir.resolve("ca.pem"))).isEqualTo(first.certificatePem());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("ca-key.pem"))))
                .isEqualTo("rw-------");
        assertThat(Files.readString(dataDir.resolve("ca-key.pem"))).startsWith("-----BEGIN EC PRIVATE KEY-----");
        try (var files = Files.list(dataDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("ca.pem", "ca-key.pem");
        }
        // The reloaded CA signs with the same key: what it issues after the restart chains to the original certificate.
        X509Certificate issuedAfterRestart = afterRestart.issueClientCertificate(
                KeyAlgorithm.EC_P256.generate().getPublic(), "device", NOW.plus(Duration.ofDays(30)));
        assertThat(first.issued(issuedAfterRestart)).isTrue();
    }

    @Test
    void persistentCaRefusesAHalfWrittenDirectory(@TempDir Path dataDir) throws Exception {
        CertificateAuthority.persistent(dataDir, CLOCK);
        Files.delete(dataDir.resolve("ca.pem"));

        assertThatThrownBy(() -> CertificateAuthority.persistent(dataDir, CLOCK))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("found ca-key.pem without ca.pem");
    }

    @Test
    void persistentCaRefusesAKeyThatDoesNotMatchTheCertificate(@TempDir Path dataDir) throws Exception {
        CertificateAuthority.persistent(dataDir, CLOCK);
        Files.writeString(
                dataDir.resolve("ca-key.pem"),
                Pem.privateKey(KeyAlgorithm.EC_P256.generate().getPrivate()));

        assertThatThrownBy(() -> CertificateAuthority.persistent(dataDir, CLOCK))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not belong to the certificate");
    }

    @Test
    void serverCertificateNamesLoopbackAndExtraHosts() throws Exception {
        IssuedCertificate server =
                ca.issueServerCertificate(List.of("broker.example.test", "10.1.2.3", "[fd00::1]", "LOCALHOST"));
        X509Certificate certificate = server.certificate();

        assertThat(certificate.getSubjectAlternativeNames())
                .containsExactlyInAnyOrder(
                        List.of(DNS, "localhost"),
                        List.of(IP, "127.0.0.1"),
                        List.of(IP, "0:0:0:0:0:0:0:1"),
                        List.of(DNS, "broker.example.test"),
                        List.of(IP, "10.1.2.3"),
                        List.of(IP, "fd00:0:0:0:0:0:0:1"));
        assertThat(certificate.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
        assertThat(certificate.getBasicConstraints()).as("not a CA").isEqualTo(-1);
        assertThat(certificate.getPublicKey())
                .isEqualTo(server.keyPair().getPublic())
                .isInstanceOf(ECPublicKey.class);
        assertThat(certificate.getNotBefore().toInstant()).isEqualTo(NOW.minusSeconds(60));
        assertThat(certificate.getNotAfter().toInstant()).isEqualTo(Instant.parse("2031-06-01T12:00:00Z"));
        assertThat(server.toString()).doesNotContain("PRIVATE").doesNotContain("keyPair");
        validate(certificate, NOW);
    }

    @Test
    void clientCertificateFollowsTheClock() throws Exception {
        KeyPair device = KeyAlgorithm.EC_P256.generate();
        Instant notAfter = NOW.plus(Duration.ofMinutes(5));

        X509Certificate certificate = ca.issueClientCertificate(device.getPublic(), "claim-1234", notAfter);

        assertThat(certificate.getNotBefore().toInstant()).isEqualTo(NOW.minusSeconds(60));
        assertThat(certificate.getNotAfter().toInstant()).isEqualTo(notAfter);
        assertThat(certificate.getSubjectX500Principal()).isEqualTo(new X500Principal("CN=claim-1234"));
        assertThat(certificate.getIssuerX500Principal())
                .isEqualTo(ca.certificate().getSubjectX500Principal());
        assertThat(certificate.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
        assertThat(certificate.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(certificate.getPublicKey()).isEqualTo(device.getPublic());
        validate(certificate, NOW);
        validate(certificate, notAfter.minusSeconds(1));
        assertThatThrownBy(() -> validate(certificate, notAfter.plusSeconds(1)))
                .isInstanceOf(CertPathValidatorException.class)
                .hasCauseInstanceOf(CertificateExpiredException.class);
    }

    @Test
    void clientCertificateForAnRsaKeyChains() throws Exception {
        X509Certificate certificate =
                ca.issueClientCertificate(TestKeys.RSA_2048.getPublic(), "rsa-device", NOW.plus(Duration.ofDays(365)));

        assertThat(certificate.getPublicKey()).isEqualTo(TestKeys.RSA_2048.getPublic());
        validate(certificate, NOW);
    }

    @Test
    void serialsArePositiveRandomAndAtMost128Bits() {
        PublicKey key = KeyAlgorithm.EC_P256.generate().getPublic();
        X509Certificate a = ca.issueClientCertificate(key, "d", NOW.plusSeconds(600));
        X509Certificate b = ca.issueClientCertificate(key, "d", NOW.plusSeconds(600));

        assertThat(a.getSerialNumber()).isPositive().isNotEqualTo(b.getSerialNumber());
        assertThat(a.getSerialNumber().bitLength()).isLessThanOrEqualTo(128);
    }

    @Test
    void refusesANotAfterBeforeNotBefore() {
        PublicKey key = KeyAlgorithm.EC_P256.generate().getPublic();

        assertThatThrownBy(() -> ca.issueClientCertificate(key, "d", NOW.minus(Duration.ofHours(1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("notAfter");
    }

    @Test
    void issuedRecognisesOnlyItsOwnCertificates() {
        PublicKey key = KeyAlgorithm.EC_P256.generate().getPublic();
        CertificateAuthority other = CertificateAuthority.ephemeral(CLOCK);

        assertThat(ca.issued(ca.issueClientCertificate(key, "mine", NOW.plusSeconds(600))))
                .isTrue();
        assertThat(ca.issued(other.issueClientCertificate(key, "theirs", NOW.plusSeconds(600))))
                .isFalse();
        assertThat(ca.issued(other.certificate())).isFalse();
        assertThat(ca.issued(null)).isFalse();
    }

    private void validate(X509Certificate certificate, Instant at) throws Exception {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca.certificate(), null)));
        parameters.setRevocationEnabled(false);
        parameters.setDate(Date.from(at));
        CertPathValidator.getInstance("PKIX")
                .validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(certificate)), parameters);
    }
}
