package io.fleetprov.emulator.ca;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CertificateIdsTest {
    /** Made with OpenSSL; the expected id is `openssl x509 -outform der | sha256sum`, computed outside Java. */
    private static final String OPENSSL_CERTIFICATE = """
            -----BEGIN CERTIFICATE-----
            MIIBlTCCATugAwIBAgIUeRmx5GukmiQ6GVLdtbmsjvYRXvQwCgYIKoZIzj0EAwIw
            IDEeMBwGA1UEAwwVY2VydGlmaWNhdGUgaWQgdmVjdG9yMB4XDTI2MTEyNjA1NTg0
            OFoXDTM2MTEyMzA1NTg0OFowIDEeMBwGA1UEAwwVY2VydGlmaWNhdGUgaWQgdmVj
            dG9yMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEZvLSUDmvzZGhwsOZEUV/gnPz
            bYJyFAJYYafgFuhzPmCDyhOjcho+IIHuwz3aaIBSRo9wzmCCXNkSkC1+xjMhZ6NT
            MFEwHQYDVR0OBBYEFA9XF6gQuf73DfyJZqGEjnFOdhiuMB8GA1UdIwQYMBaAFA9X
            F6gQuf73DfyJZqGEjnFOdhiuMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwID
            SAAwRQIhANh0owI3rMjrOm4SAFrMZoSXD0gFsB86BzmcTSuuiXHzAiB5Qb43moj8
            Vs+iQdee7/yhIt8d7ufXcBZVMKadttBz0g==
            -----END CERTIFICATE-----
            """;

    @Test
    void isTheSha256OfTheDerEncodingInLowercaseHex() {
        assertThat(CertificateIds.of(Pem.parseCertificate(OPENSSL_CERTIFICATE)))
                .isEqualTo("6ac07325bb70bde4b45f7c5db54857fbc37ab7a334066d84d66f8569e0032250");
    }

    @Test
    void differsBetweenCertificatesAndIsStableForOne() {
        CertificateAuthority ca = CertificateAuthority.ephemeral(Clock.systemUTC());
        PublicKey key = KeyAlgorithm.EC_P256.generate().getPublic();
        X509Certificate first =
                ca.issueClientCertificate(key, "device", Instant.now().plusSeconds(3600));
        X509Certificate second =
                ca.issueClientCertificate(key, "device", Instant.now().plusSeconds(3600));

        assertThat(CertificateIds.of(first)).matches("[0-9a-f]{64}").isEqualTo(CertificateIds.of(first));
        assertThat(CertificateIds.of(first)).isNotEqualTo(CertificateIds.of(second));
    }
}
