package io.fleetprov.protocol.model;

/** Request on {@code $aws/certificates/create-from-csr/<fmt>}. */
public record CreateCertificateFromCsrRequest(String certificateSigningRequest) {}
