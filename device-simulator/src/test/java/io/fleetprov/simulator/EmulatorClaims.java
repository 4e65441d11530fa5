package io.fleetprov.simulator;

import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.provisioning.ProvisioningClaim;
import io.fleetprov.simulator.claim.ClaimBundle;
import io.fleetprov.simulator.claim.ClaimSource;
import java.util.concurrent.CompletableFuture;

/**
 * Claims minted by an in-process emulator's own CreateProvisioningClaim: the same claim the control plane hands
 * out, without HTTP, for tests of the device side.
 */
public final class EmulatorClaims implements ClaimSource {

    private final IotEmulator emulator;
    private final String templateName;

    public EmulatorClaims(IotEmulator emulator, String templateName) {
        this.emulator = emulator;
        this.templateName = templateName;
    }

    @Override
    public CompletableFuture<ClaimBundle> claim(String serialNumber) {
        return CompletableFuture.supplyAsync(() -> {
            ProvisioningClaim claim = emulator.createProvisioningClaim(templateName);
            return new ClaimBundle(claim.certificateId(), claim.certificatePem(), claim.privateKeyPem(),
                    claim.expiration(), templateName, emulator.mqttEndpoint());
        });
    }

    @Override
    public String name() {
        return "emulator-in-process";
    }
}
