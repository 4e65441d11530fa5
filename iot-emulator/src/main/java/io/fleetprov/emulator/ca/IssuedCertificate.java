package io.fleetprov.emulator.ca;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Objects;

/** A certificate together with the key pair it was issued for (the private key never leaves the process unasked). */
public record IssuedCertificate(X509Certificate certificate, KeyPair keyPair) {
    public IssuedCertificate {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(keyPair, "keyPair");
    }

    @Override
    public String toString() {
        // Records print every component by default; keep the private key out of logs and exception messages.
        return "IssuedCertificate[" + certificate.getSubjectX500Principal() + ", id=" + CertificateIds.of(certificate)
                + "]";
    }
}
