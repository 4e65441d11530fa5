package io.fleetprov.protocol.model;

/** Accepted answer to {@code $aws/certificates/create/<fmt>}. */
public record CreateKeysAndCertificateResponse(
        String certificateId, String certificatePem, String privateKey, String certificateOwnershipToken) {

    /** Keeps the private key out of logs. */
    @Override
    public String toString() {
        return "CreateKeysAndCertificateResponse[certificateId=" + certificateId + "]";
    }
}
