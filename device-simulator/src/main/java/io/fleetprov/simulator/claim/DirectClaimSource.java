package io.fleetprov.simulator.claim;

import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.iot.IotAsyncClient;

/**
 * CreateProvisioningClaim straight from the IoT control plane, as an installer app holding IAM credentials would
 * (the seed's flow). Every device gets its own claim.
 */
public final class DirectClaimSource implements ClaimSource {

    private final IotAsyncClient iot;
    private final String templateName;

    public DirectClaimSource(IotAsyncClient iot, String templateName) {
        this.iot = iot;
        this.templateName = templateName;
    }

    @Override
    public CompletableFuture<ClaimBundle> claim(String serialNumber) {
        return iot.createProvisioningClaim(r -> r.templateName(templateName)).handle((response, error) -> {
            if (error != null) {
                throw AwsErrors.translate(error, "CreateProvisioningClaim");
            }
            return new ClaimBundle(
                    response.certificateId(),
                    response.certificatePem(),
                    response.keyPair().privateKey(),
                    response.expiration(),
                    templateName,
                    null);
        });
    }

    @Override
    public String name() {
        return "direct";
    }

    @Override
    public void close() {
        iot.close();
    }
}
