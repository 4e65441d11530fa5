package io.fleetprov.emulator.policy;

import java.util.Map;
import java.util.Objects;

/**
 * What the policy variables resolve to for one connection. thingName, thingTypeName and thingAttributes are
 * present only when the connection's certificate is attached to a thing AND the MQTT client id equals the thing
 * name (AWS rule); the caller applies that rule, this record just carries the outcome.
 */
public record ConnectionContext(
        String region,
        String accountId,
        String clientId,
        String certificateId,
        String thingName,
        String thingTypeName,
        Map<String, String> thingAttributes) {

    public ConnectionContext {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(clientId, "clientId");
        thingAttributes = thingAttributes == null ? Map.of() : Map.copyOf(thingAttributes);
    }
}
