package io.fleetprov.simulator.client;

import java.util.Map;

/** A device that finished the flow: its thing, its own credentials and what the template told it. */
public record ProvisionedDevice(
        String serialNumber, String thingName, DeviceCredentials credentials, Map<String, String> deviceConfiguration) {

    public ProvisionedDevice {
        deviceConfiguration = deviceConfiguration == null ? Map.of() : Map.copyOf(deviceConfiguration);
    }
}
