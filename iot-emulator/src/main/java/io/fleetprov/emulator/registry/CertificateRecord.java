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
 *
 * <p>{@code notBefore} and {@code notAfter} are the certificate's validity, read once: the JDK's getters look the
 * field up by name and copy the date at every call, and the once-a-second sweep of expired claims and every
 * handshake's {@link #mayConnect} asked them (about 5 % of the emulator's CPU in a 3,000-device profile).
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
        boolean signedByCa,
        Instant notBefore,
        Instant notAfter) {

    /** A record of the certificate, its validity read from it. */
    CertificateRecord(
            String certificateId,
            String certificateArn,
            X509Certificate certificate,
            String certificatePem,
            CertificateStatus status,
            String claimTemplate,
            Instant creationDate,
            Instant lastModifiedDate,
            boolean signedByCa) {
        this(
                certificateId,
                certificateArn,
                certificate,
                certificatePem,
                status,
                claimTemplate,
                creationDate,
                lastModifiedDate,
                signedByCa,
                certificate.getNotBefore().toInstant(),
                certificate.getNotAfter().toInstant());
    }

    public boolean isClaim() {
        return claimTemplate != null;
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
                signedByCa,
                notBefore,
                notAfter);
    }
}
