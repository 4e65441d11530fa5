package io.fleetprov.emulator.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.fleetprov.emulator.provisioning.ApiThrottle;
import io.fleetprov.emulator.provisioning.FleetProvisioningService;
import io.fleetprov.emulator.provisioning.ProvisioningClaim;
import io.fleetprov.emulator.registry.ErrorType;
import java.math.BigDecimal;
import java.util.List;

/** CreateProvisioningClaim: the call a trusted user's backend makes to mint a five-minute claim certificate. */
final class ProvisioningClaimApi {

    static final String OPERATION = "CreateProvisioningClaim";

    private final FleetProvisioningService provisioning;
    private final ApiThrottle throttle;
    private final Runnable injectedLatency;

    ProvisioningClaimApi(FleetProvisioningService provisioning, ApiThrottle throttle, Runnable injectedLatency) {
        this.provisioning = provisioning;
        this.throttle = throttle;
        this.injectedLatency = injectedLatency;
    }

    List<Route> routes() {
        return List.of(Route.of(
                "POST",
                "/provisioning-templates/{templateName}/provisioning-claim",
                OPERATION,
                this::createProvisioningClaim));
    }

    /** AWS capitalises the members of {@code keyPair}, unlike everything else in the response. */
    record KeyPair(
            @JsonProperty("PublicKey") String publicKey,
            @JsonProperty("PrivateKey") String privateKey) {
        @Override
        public String toString() {
            return "KeyPair[PublicKey, PrivateKey=<redacted>]";
        }
    }

    record ClaimResponse(String certificateId, String certificatePem, KeyPair keyPair, BigDecimal expiration) {}

    private Object createProvisioningClaim(ApiRequest request) {
        // The model has no request body; some clients send {} and that must be as fine as nothing.
        request.body(JsonNode.class);
        String templateName = request.path("templateName");
        if (!templateName.matches("[0-9A-Za-z_-]{1,36}")) {
            throw AwsException.invalidRequest("Invalid template name: " + templateName);
        }
        injectedLatency.run();
        if (!throttle.tryAcquire(OPERATION)) {
            throw new AwsException(ErrorType.ThrottlingException, "Rate exceeded");
        }
        ProvisioningClaim claim = provisioning.createProvisioningClaim(templateName);
        return new ClaimResponse(
                claim.certificateId(),
                claim.certificatePem(),
                new KeyPair(claim.publicKeyPem(), claim.privateKeyPem()),
                Json.epochSeconds(claim.expiration()));
    }
}
