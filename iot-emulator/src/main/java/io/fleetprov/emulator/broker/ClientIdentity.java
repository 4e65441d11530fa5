package io.fleetprov.emulator.broker;

/** Who is behind an MQTT client id: its certificate, and for a claim the template it may provision with. */
public record ClientIdentity(String clientId, String certificateId, String claimTemplate) {

    public boolean isClaim() {
        return claimTemplate != null;
    }
}
