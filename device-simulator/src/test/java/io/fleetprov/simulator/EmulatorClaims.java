package io.fleetprov.simulator;

import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.provisioning.ProvisioningClaim;
import io.fleetprov.simulator.claim.ClaimBundle;
import io.fleetprov.simulator.claim.ClaimSource;
import io.fleetprov.testing.TestTemplates;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Claims minted by an in-process emulator's own CreateProvisioningClaim: the same claim the control plane hands
 * out, without HTTP, for tests of the device side.
 */
public final class EmulatorClaims implements ClaimSource {

    /** The template {@link #installTemplate} creates: the shared test template, things named device-SERIAL. */
    public static final String TEMPLATE = "sim-template";

    private final IotEmulator emulator;
    private final String templateName;
    /** Claim certificate id → the serial it was issued for, as claim-service binds them. */
    private final Map<String, String> serialByClaim = new ConcurrentHashMap<>();

    public static void installTemplate(IotEmulator emulator) {
        emulator.registry()
                .templates()
                .create(
                        TEMPLATE,
                        "device-simulator tests",
                        TestTemplates.deviceTemplate("device-"),
                        true,
                        TestTemplates.ROLE,
                        null,
                        null);
    }

    public EmulatorClaims(IotEmulator emulator, String templateName) {
        this.emulator = emulator;
        this.templateName = templateName;
    }

    @Override
    public CompletableFuture<ClaimBundle> claim(String serialNumber) {
        return CompletableFuture.supplyAsync(() -> {
            ProvisioningClaim claim = emulator.createProvisioningClaim(templateName);
            serialByClaim.put(claim.certificateId(), serialNumber);
            return new ClaimBundle(
                    claim.certificateId(),
                    claim.certificatePem(),
                    claim.privateKeyPem(),
                    claim.expiration(),
                    templateName,
                    emulator.mqttEndpoint());
        });
    }

    public String serialOf(String claimCertificateId) {
        return serialByClaim.get(claimCertificateId);
    }

    @Override
    public String name() {
        return "emulator-in-process";
    }
}
