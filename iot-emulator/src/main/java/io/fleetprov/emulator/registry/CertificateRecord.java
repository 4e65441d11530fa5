package io.fleetprov.emulator.registry;

import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * A certificate the emulator issued. A provisioning claim is a certificate with {@code claimTemplate} set: it is
 * hidden from ListCertificates, may connect while unexpired, and may only use its template's provisioning topics.
 *
 * <p>{@code signedByCa} says the emulator's CA signed this exact certificate (it issued it, or verified its signature
 * when it was registered), so the broker need not verify the signature again at every handshake; see
 * {@code ClientCertificateTrustManager}. False for certificates registered without a CA or restored from files.
 */
public record CertificateRecord(
        String certificateId,
        String certificateArn,
        X509Certificate certificate,
        String certificatePem,
        CertificateStatus status,
        String claimTemplate,
        Instant creationDate,
        Instant lastModifiedDate,
        boolean signedByCa) {

    public boolean isClaim() {
        return claimTemplate != null;
    }

    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    public Instant notBefore() {
        return certificate.getNotBefore().toInstant();
    }

    /** AWS lets ACTIVE certificates connect, and claims until they expire. */
    public boolean mayConnect(Instant now) {
        return status == CertificateStatus.ACTIVE && now.isBefore(notAfter()) && !now.isBefore(notBefore());
    }

    CertificateRecord withStatus(CertificateStatus newStatus, Instant now) {
        return new CertificateRecord(
                certificateId,
                certificateArn,
                certificate,
                certificatePem,
                newStatus,
                claimTemplate,
                creationDate,
                now,
                signedByCa);
    }
}
