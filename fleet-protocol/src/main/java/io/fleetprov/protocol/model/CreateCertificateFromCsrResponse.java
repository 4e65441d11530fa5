package io.fleetprov.protocol.model;

/** Accepted answer to {@code $aws/certificates/create-from-csr/<fmt>}. */
public record CreateCertificateFromCsrResponse(
        String certificateId, String certificatePem, String certificateOwnershipToken) {}
