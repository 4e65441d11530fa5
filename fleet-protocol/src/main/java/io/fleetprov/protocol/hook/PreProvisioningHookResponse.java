package io.fleetprov.protocol.hook;

import java.util.Map;

/**
 * A pre-provisioning hook's answer. Anything but {@code allowProvisioning == true} denies, so the field is a
 * {@link Boolean}: a missing value denies.
 */
public record PreProvisioningHookResponse(Boolean allowProvisioning, Map<String, String> parameterOverrides) {

    public PreProvisioningHookResponse {
        parameterOverrides = parameterOverrides == null ? Map.of() : Map.copyOf(parameterOverrides);
    }

    public static PreProvisioningHookResponse allow(Map<String, String> parameterOverrides) {
        return new PreProvisioningHookResponse(true, parameterOverrides);
    }

    public static PreProvisioningHookResponse deny() {
        return new PreProvisioningHookResponse(false, Map.of());
    }

    public boolean allowed() {
        return Boolean.TRUE.equals(allowProvisioning);
    }
}
