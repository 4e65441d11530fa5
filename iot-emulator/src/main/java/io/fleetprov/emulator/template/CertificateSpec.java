package io.fleetprov.emulator.template;

import java.util.Objects;

/**
 * The AWS::IoT::Certificate of a fleet template, evaluated.
 *
 * @param status "ACTIVE" or "INACTIVE", upper case whatever the template wrote
 * @param statusOverride the OverrideSettings for Status, or null if the template gives none
 */
public record CertificateSpec(String certificateId, String status, OverrideAction statusOverride) {

    public CertificateSpec {
        Objects.requireNonNull(certificateId, "certificateId");
        Objects.requireNonNull(status, "status");
    }
}
