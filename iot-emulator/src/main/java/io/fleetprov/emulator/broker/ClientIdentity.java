package io.fleetprov.emulator.broker;

/**
 * Who is behind a connection: the client id it uses, its certificate, for a claim the template it may provision
 * with, and the IP address it connected from ({@code aws:SourceIp}).
 */
public record ClientIdentity(String clientId, String certificateId, String claimTemplate, String sourceIp) {

    public boolean isClaim() {
        return claimTemplate != null;
    }
}
