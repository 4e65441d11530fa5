package io.fleetprov.emulator.faults;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * Faults the emulator injects, to rehearse what AWS IoT does on a bad day. In an update, absent (null) fields
 * keep their current value.
 *
 * @param throttle                  requests per second per API ({@code CreateKeysAndCertificate},
 *                                  {@code CreateCertificateFromCsr}, {@code RegisterThing},
 *                                  {@code CreateProvisioningClaim}); 0 removes a limit
 * @param latencyMillis             added before every fleet-provisioning answer and CreateProvisioningClaim
 * @param dropAcceptedFraction      share (0..1) of {@code /accepted} answers that are never delivered
 * @param hookTimeoutMillis         deadline given to pre-provisioning hooks (AWS: 5000)
 * @param disconnectAfterCreateFraction share (0..1) of devices disconnected right after a successful
 *                                  CreateKeysAndCertificate/CreateCertificateFromCsr, before RegisterThing
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FaultSettings(
        Map<String, Double> throttle,
        Long latencyMillis,
        Double dropAcceptedFraction,
        Long hookTimeoutMillis,
        Double disconnectAfterCreateFraction) {

    public static FaultSettings none() {
        return new FaultSettings(Map.of(), 0L, 0.0, 5000L, 0.0);
    }

    /** This, with every field the update sets replaced. */
    FaultSettings with(FaultSettings update) {
        return new FaultSettings(
                update.throttle != null ? Map.copyOf(update.throttle) : throttle,
                update.latencyMillis != null ? update.latencyMillis : latencyMillis,
                update.dropAcceptedFraction != null ? update.dropAcceptedFraction : dropAcceptedFraction,
                update.hookTimeoutMillis != null ? update.hookTimeoutMillis : hookTimeoutMillis,
                update.disconnectAfterCreateFraction != null
                        ? update.disconnectAfterCreateFraction
                        : disconnectAfterCreateFraction);
    }

    void validate() {
        requireFraction("dropAcceptedFraction", dropAcceptedFraction);
        requireFraction("disconnectAfterCreateFraction", disconnectAfterCreateFraction);
        if (latencyMillis != null && latencyMillis < 0) {
            throw new IllegalArgumentException("latencyMillis must not be negative");
        }
        if (hookTimeoutMillis != null && hookTimeoutMillis <= 0) {
            throw new IllegalArgumentException("hookTimeoutMillis must be positive");
        }
    }

    private static void requireFraction(String name, Double value) {
        if (value != null && (value < 0 || value > 1)) {
            throw new IllegalArgumentException(name + " must be between 0 and 1");
        }
    }
}
