package io.fleetprov.protocol.model;

import java.util.Map;

/** Accepted answer to RegisterThing: the thing's name and the template's flat DeviceConfiguration. */
public record RegisterThingResponse(Map<String, String> deviceConfiguration, String thingName) {

    public RegisterThingResponse {
        deviceConfiguration = deviceConfiguration == null ? Map.of() : Map.copyOf(deviceConfiguration);
    }
}
