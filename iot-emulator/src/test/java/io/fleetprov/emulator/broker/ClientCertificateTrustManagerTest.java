package io.fleetprov.emulator.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetprov.emulator.ca.CertificateAuthority;
import io.fleetprov.emulator.ca.KeyAlgorithm;
import io.fleetprov.emulator.registry.Arns;
import io.fleetprov.emulator.registry.CertificateStatus;
import io.fleetprov.emulator.registry.Registry;
import io.fleetprov.emulator.template.TemplateEngine;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The broker's certificate decision without the CA signature check on every handshake: a certificate is trusted only
 * as the exact DER the CA signed and the registry holds, ACTIVE. Forged look-alikes are refused whether or not someone
 * managed to register them without a CA, and refusing them changes nothing for the genuine certificate.
 */
class ClientCertificateTrustManagerTest {

    private static final Instant NOW = Instant.parse("2026-12-03T09:00:00Z");

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final CertificateAuthority ca = CertificateAuthority.ephemeral(clock);
    private final Registry registry = new Registry(clock, new Arns("eu-west-1", "111122223333"), new TemplateEngine());
    private final ClientCertificateTrustManager trust = new ClientCertificateTrustManager(ca, registry, clock);

    @Test
    void aCertificateTheCaIssuedAndTheRegistryHoldsActiveConnects() {
        X509Certificate genuine = issue("device-1");
        registry.certificates().registerIssued(genuine, CertificateStatus.ACTIVE, null);

        assertThatCode(() -> check(genuine)).doesNotThrowAnyException();
    }

    @Test
    void aCopyOfARegisteredCertificateWithAnAlteredSignatureIsRefused() throws Exception {
        X509Certificate genuine = issue("device-1");
        registry.certificates().registerIssued(genuine, CertificateStatus.ACTIVE, null);
        X509Certificate badSignature = withLastByteFlipped(genuine);
        assertThat(badSignature.getSubjectX500Principal()).isEqualTo(genuine.getSubjectX500Principal());
        assertThat(badSignature.getIssuerX500Principal()).isEqualTo(genuine.getIssuerX500Principal());

        assertThatThrownBy(() -> check(badSignature))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("not registered");
        assertThatCode(() -> check(genuine)).doesNotThrowAnyException();
    }

    @Test
    void aLookAlikeFromAnotherCaWithTheSameNamesIsRefused() {
        X509Certificate genuine = issue("device-1");
        registry.certificates().registerIssued(genuine, CertificateStatus.ACTIVE, null);
        // Every ephemeral CA has the same name, so this certificate has our issuer and subject, another key and
        // another signature.
        X509Certificate lookAlike = CertificateAuthority.ephemeral(clock)
                .issueClientCertificate(KeyAlgorithm.EC_P256.generate().getPublic(), "device-1", NOW.plusSeconds(3600));
        assertThat(lookAlike.getIssuerX500Principal()).isEqualTo(genuine.getIssuerX500Principal());

        assertThatThrownBy(() -> check(lookAlike)).hasMessageContaining("not registered");
        assertThatCode(() -> check(genuine)).doesNotThrowAnyException();
    }

    @Test
    void certificatesRegisteredWithoutTheCaStillHaveTheirSignatureChecked() throws Exception {
        X509Certificate genuine = issue("device-1");
        registry.certificates().registerIssued(genuine, CertificateStatus.ACTIVE, null);
        X509Certificate lookAlike = CertificateAuthority.ephemeral(clock)
                .issueClientCertificate(KeyAlgorithm.EC_P256.generate().getPublic(), "device-1", NOW.plusSeconds(3600));
        X509Certificate badSignature = withLastByteFlipped(issue("device-2"));
        // RegisterCertificateWithoutCA accepts any certificate; the broker still refuses what our CA did not sign.
        registry.certificates().register(lookAlike, CertificateStatus.ACTIVE, null);
        registry.certificates().register(badSignature, CertificateStatus.ACTIVE, null);

        assertThatThrownBy(() -> check(lookAlike)).hasMessageContaining("not issued by this emulator's CA");
        assertThatThrownBy(() -> check(badSignature)).hasMessageContaining("not issued by this emulator's CA");
        assertThatCode(() -> check(genuine)).doesNotThrowAnyException();
    }

    @Test
    void aCertificateOfOurCaRegisteredWithoutTheFlagIsCheckedAndConnects() {
        X509Certificate restored = issue("service");
        registry.certificates().register(restored, CertificateStatus.ACTIVE, null);

        assertThatCode(() -> check(restored)).doesNotThrowAnyException();
        assertThatCode(() -> check(restored)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @EnumSource(
            value = CertificateStatus.class,
            names = {"ACTIVE"},
            mode = EnumSource.Mode.EXCLUDE)
    void aGenuineCertificateThatIsNotActiveIsRefused(CertificateStatus status) {
        X509Certificate genuine = issue("device-1");
        registry.certificates().registerIssued(genuine, status, null);

        assertThatThrownBy(() -> check(genuine)).hasMessageContaining("is " + status);
    }

    @Test
    void aRevokedCertificateIsRefusedAndTheOthersStillConnect() {
        X509Certificate revoked = issue("device-1");
        X509Certificate other = issue("device-2");
        String revokedId = registry.certificates()
                .registerIssued(revoked, CertificateStatus.ACTIVE, null)
                .certificateId();
        registry.certificates().registerIssued(other, CertificateStatus.ACTIVE, null);
        assertThatCode(() -> check(revoked)).doesNotThrowAnyException();

        registry.certificates().updateStatus(revokedId, CertificateStatus.REVOKED);

        assertThatThrownBy(() -> check(revoked)).hasMessageContaining("is REVOKED");
        assertThatCode(() -> check(other)).doesNotThrowAnyException();
    }

    @Test
    void anExpiredClaimIsRefused() {
        X509Certificate claim = ca.issueClientCertificate(
                KeyAlgorithm.EC_P256.generate().getPublic(), "claim", NOW.plus(Duration.ofMinutes(5)));
        registry.certificates().registerIssued(claim, CertificateStatus.ACTIVE, "template");
        var later = new ClientCertificateTrustManager(
                ca, registry, Clock.fixed(NOW.plus(Duration.ofMinutes(6)), ZoneOffset.UTC));

        assertThatThrownBy(() -> later.checkClientTrusted(new X509Certificate[] {claim}, "UNKNOWN"))
                .hasMessageContaining("has expired");
    }

    private X509Certificate issue(String commonName) {
        return ca.issueClientCertificate(
                KeyAlgorithm.EC_P256.generate().getPublic(), commonName, NOW.plus(Duration.ofDays(1)));
    }

    private void check(X509Certificate certificate) throws CertificateException {
        trust.checkClientTrusted(new X509Certificate[] {certificate}, "UNKNOWN");
    }

    /** The same certificate with one bit of its signature value changed: parses, names unchanged, does not verify. */
    private static X509Certificate withLastByteFlipped(X509Certificate certificate) throws Exception {
        byte[] der = certificate.getEncoded();
        der[der.length - 1] ^= 0x01;
        return (X509Certificate)
                CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }
}
