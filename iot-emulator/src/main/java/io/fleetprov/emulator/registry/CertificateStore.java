package io.fleetprov.emulator.registry;

import io.fleetprov.emulator.ca.CertificateIds;
import io.fleetprov.emulator.ca.Pem;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * The certificates the emulator issued, device certificates and provisioning claims. Removal is left to
 * {@link Registry}, which also removes what is attached to a certificate. Locking: see {@link Registry}.
 */
public final class CertificateStore {

    private final Object monitor;
    private final Clock clock;
    private final Arns arns;
    private final Map<String, CertificateRecord> certificates = new HashMap<>();
    /**
     * Every claim added, soonest expiry first, so that the sweep of expired claims (once a second) reads only the
     * claims that are due rather than every certificate in the registry under the registry's lock. An entry whose
     * claim was removed meanwhile is dropped when it comes due.
     */
    private final PriorityQueue<CertificateRecord> claimsByExpiry =
            new PriorityQueue<>(Comparator.comparing(CertificateRecord::notAfter));

    CertificateStore(Object monitor, Clock clock, Arns arns) {
        this.monitor = monitor;
        this.clock = clock;
        this.arns = arns;
    }

    /**
     * Registers a certificate whose signature by the emulator's CA is not known here (registered without a CA,
     * restored from files, built by a test): the broker verifies it when the certificate connects.
     */
    public CertificateRecord register(X509Certificate certificate, CertificateStatus status, String claimTemplate) {
        return add(certificate, status, claimTemplate, false);
    }

    /**
     * Registers a certificate the emulator's CA signed: one it has just issued, or one whose signature by the CA's key
     * the caller has just verified. The broker then trusts this exact certificate (same DER, same SHA-256 id) without
     * verifying its signature again at each handshake.
     */
    public CertificateRecord registerIssued(
            X509Certificate certificate, CertificateStatus status, String claimTemplate) {
        return add(certificate, status, claimTemplate, true);
    }

    private CertificateRecord add(
            X509Certificate certificate, CertificateStatus status, String claimTemplate, boolean signedByCa) {
        String id = CertificateIds.of(certificate);
        synchronized (monitor) {
            if (certificates.containsKey(id)) {
                throw RegistryException.alreadyExists("Certificate " + id + " already exists");
            }
            Instant now = clock.instant();
            var record = new CertificateRecord(
                    id,
                    arns.certificate(id),
                    certificate,
                    Pem.certificate(certificate),
                    status,
                    claimTemplate,
                    now,
                    now,
                    signedByCa);
            certificates.put(id, record);
            if (record.isClaim()) {
                claimsByExpiry.add(record);
            }
            return record;
        }
    }

    public Optional<CertificateRecord> find(String certificateId) {
        synchronized (monitor) {
            return Optional.ofNullable(certificates.get(certificateId));
        }
    }

    public CertificateRecord get(String certificateId) {
        return find(certificateId)
                .orElseThrow(() -> RegistryException.notFound("Certificate " + certificateId + " not found"));
    }

    /** Device certificates in creation order; claims are hidden, as on AWS. */
    public List<CertificateRecord> list(boolean ascending) {
        Comparator<CertificateRecord> order =
                Comparator.comparing(CertificateRecord::creationDate).thenComparing(CertificateRecord::certificateId);
        synchronized (monitor) {
            return certificates.values().stream()
                    .filter(c -> !c.isClaim())
                    .sorted(ascending ? order : order.reversed())
                    .toList();
        }
    }

    public CertificateRecord updateStatus(String certificateId, CertificateStatus status) {
        synchronized (monitor) {
            CertificateRecord current = get(certificateId);
            if (current.isClaim()) {
                throw new RegistryException(
                        ErrorType.CertificateStateException, "The status of a provisioning claim cannot be changed");
            }
            CertificateRecord updated = current.withStatus(status, clock.instant());
            certificates.put(certificateId, updated);
            return updated;
        }
    }

    /**
     * DeleteCertificate's checks and removal in one step: an ACTIVE device certificate is refused first, then one in
     * use. {@code inUse} is decided by the caller, which knows the attachments and whether the delete is forced.
     */
    CertificateRecord delete(String certificateId, boolean inUse) {
        synchronized (monitor) {
            CertificateRecord record = get(certificateId);
            if (record.status() == CertificateStatus.ACTIVE && !record.isClaim()) {
                throw new RegistryException(
                        ErrorType.CertificateStateException,
                        "Certificate " + certificateId + " is ACTIVE; deactivate it before deleting it");
            }
            if (inUse) {
                throw new RegistryException(
                        ErrorType.DeleteConflictException,
                        "Certificate " + certificateId + " is attached to things or policies");
            }
            certificates.remove(certificateId);
            return record;
        }
    }

    /** Removes a certificate whatever its state. */
    Optional<CertificateRecord> remove(String certificateId) {
        synchronized (monitor) {
            return Optional.ofNullable(certificates.remove(certificateId));
        }
    }

    /** Removes claims whose validity ended before {@code cutoff}. */
    List<CertificateRecord> removeClaimsExpiredBefore(Instant cutoff) {
        synchronized (monitor) {
            List<CertificateRecord> expired = new ArrayList<>();
            while (!claimsByExpiry.isEmpty() && claimsByExpiry.peek().notAfter().isBefore(cutoff)) {
                CertificateRecord due = claimsByExpiry.poll();
                // A claim's record is never replaced (its status cannot change), so still there means this one.
                if (certificates.remove(due.certificateId(), due)) {
                    expired.add(due);
                }
            }
            return expired;
        }
    }
}
