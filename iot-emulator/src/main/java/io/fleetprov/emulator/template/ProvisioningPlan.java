package io.fleetprov.emulator.template;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one RegisterThing must do, as the template says once evaluated: the registry applies it.
 *
 * @param thing the thing to create or update, or null if the template has no AWS::IoT::Thing
 * @param certificate the certificate to activate, or null if the template has no AWS::IoT::Certificate
 * @param policies policies to attach to the certificate, in template order
 * @param deviceConfiguration the flat DeviceConfiguration returned to the device, in template order
 */
public record ProvisioningPlan(
        ThingSpec thing,
        CertificateSpec certificate,
        List<PolicySpec> policies,
        Map<String, String> deviceConfiguration) {

    public ProvisioningPlan {
        policies = policies == null ? List.of() : List.copyOf(policies);
        // Keeps the template's key order, so the device sees its configuration as written.
        deviceConfiguration = deviceConfiguration == null
                ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(deviceConfiguration));
    }
}
