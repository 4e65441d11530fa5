package io.fleetprov.protocol.model;

import java.util.Map;

/**
 * Request on {@code $aws/provisioning-templates/<template>/provision/<fmt>}. The Java device SDK also sends a
 * {@code templateName} field, which is ignored like every unknown field.
 */
public record RegisterThingRequest(String certificateOwnershipToken, Map<String, String> parameters) {

    public RegisterThingRequest {
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    }

    @Override
    public String toString() {
        return "RegisterThingRequest[parameters=" + parameters + "]";
    }
}
